package dev.bulwark.compliance.unmanaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.compliance.policy.StoredPolicy;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.rules.Version;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnmanagedAppEvaluatorTest {

    private static final String MAIL = "com.contoso.mail";

    private final UnmanagedAppEvaluator evaluator =
            new UnmanagedAppEvaluator(new UnmanagedBaseline(Map.of(MAIL, Version.parse("5.0"))));

    @Test
    void anAppWithAPinOnAnIntactDeviceAtTheMinimumVersionHasNoViolations() {
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "5.0.0", Optional.of(true), false)))
                .isEmpty();
    }

    @Test
    void noAppPinIsAViolation() {
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "5.1", Optional.of(false), false)))
                .extracting(Violation::rule, Violation::expected, Violation::actual)
                .containsExactly(tuple(UnmanagedAppEvaluator.PIN_REQUIRED, "true", "false"));
    }

    @Test
    void anUnreportedPinIsNotAViolation() {
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "5.1", Optional.empty(), false)))
                .isEmpty();
    }

    @Test
    void aJailbrokenOrRootedDeviceIsAViolation() {
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "5.1", Optional.of(true), true)))
                .extracting(Violation::rule)
                .containsExactly(UnmanagedAppEvaluator.JAILBROKEN);
    }

    @Test
    void anAppBelowItsMinimumVersionIsAViolationNamingExpectedAndActual() {
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "4.9.12", Optional.of(true), false)))
                .extracting(Violation::rule, Violation::expected, Violation::actual)
                .containsExactly(tuple(UnmanagedAppEvaluator.MINIMUM_APP_VERSION, ">= 5.0", "4.9.12"));
    }

    @Test
    void aPreReleaseOfTheMinimumVersionIsBelowItAndABuildOfItMeetsIt() {
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "5.0-beta", Optional.of(true), false)))
                .extracting(Violation::rule, Violation::expected, Violation::actual)
                .containsExactly(tuple(UnmanagedAppEvaluator.MINIMUM_APP_VERSION, ">= 5.0", "5.0-beta"));
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "5.0.0+build7", Optional.of(true), false)))
                .isEmpty();
    }

    @Test
    void anAppWithoutAConfiguredMinimumIsNotCheckedForItsVersion() {
        assertThat(evaluator.evaluate(new AppInstanceReport("com.contoso.chat", "0.1", Optional.of(true), false)))
                .isEmpty();
    }

    @Test
    void anUnknownAppVersionCannotProveTheMinimum() {
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "", Optional.of(true), false)))
                .extracting(Violation::rule)
                .containsExactly(UnmanagedAppEvaluator.MINIMUM_APP_VERSION);
    }

    @Test
    void everyBrokenRuleIsNamedInOrder() {
        assertThat(evaluator.evaluate(new AppInstanceReport(MAIL, "4", Optional.of(false), true)))
                .extracting(Violation::rule)
                .containsExactly(
                        UnmanagedAppEvaluator.PIN_REQUIRED,
                        UnmanagedAppEvaluator.JAILBROKEN,
                        UnmanagedAppEvaluator.MINIMUM_APP_VERSION);
    }

    @Test
    void aDisabledAccountBreaksOnlyAPolicyThatSetsDisabledAccountAndItsWipeActionMarksTheWipe() throws Exception {
        AppInstanceReport disabled = new AppInstanceReport(MAIL, "5.1", "17.5", Optional.of(true), false, true);

        assertThat(UnmanagedAppEvaluator.evaluate(disabled, policy("{\"disabledAccount\": \"WIPE_DATA\"}")))
                .extracting(Violation::rule, Violation::expected, Violation::actual, Violation::wipe)
                .containsExactly(tuple(UnmanagedAppEvaluator.DISABLED_ACCOUNT, "enabled", "disabled", true));
        assertThat(UnmanagedAppEvaluator.evaluate(disabled, policy("{\"disabledAccount\": \"BLOCK_ACCESS\"}")))
                .extracting(Violation::wipe)
                .containsExactly(false);
        assertThat(UnmanagedAppEvaluator.evaluate(disabled, policy("{\"pinRequired\": true}")))
                .isEmpty();
        assertThat(UnmanagedAppEvaluator.evaluate(
                        new AppInstanceReport(MAIL, "5.1", "17.5", Optional.of(true), false, false),
                        policy("{\"disabledAccount\": \"WIPE_DATA\"}")))
                .isEmpty();
    }

    private static AppProtectionPolicy policy(String settings) throws Exception {
        return AppProtectionPolicy.from(new StoredPolicy(
                "p1",
                PolicyKind.APP_PROTECTION,
                "policy",
                1,
                Optional.empty(),
                List.of(),
                new ObjectMapper().readTree("{\"appIds\": [\"" + MAIL + "\"], \"settings\": " + settings + "}")));
    }
}
