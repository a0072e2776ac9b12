package dev.bulwark.compliance.managed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.compliance.policy.StoredPolicy;
import dev.bulwark.compliance.projection.ManagedDevices.ProfileStatus;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.rules.Version;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManagedDeviceEvaluatorTest {

    private final ManagedDeviceEvaluator evaluator = new ManagedDeviceEvaluator(new ManagedBaseline(Map.of(
            Platform.ANDROID, Version.parse("14"),
            Platform.IOS, Version.parse("17"),
            Platform.WINDOWS, Version.parse("10.0.19045"),
            Platform.MACOS, Version.parse("14"))));

    @Test
    void aDeviceMeetingEveryRuleHasNoViolations() {
        assertThat(evaluator.evaluate(report(Platform.IOS, "17.4.1", Optional.of(true), false)))
                .isEmpty();
        assertThat(evaluator.evaluate(report(Platform.WINDOWS, "10.0.19045", Optional.of(true), false)))
                .isEmpty();
    }

    @Test
    void anOsBelowThePlatformMinimumIsAViolationNamingExpectedAndActual() {
        List<Violation> violations = evaluator.evaluate(report(Platform.ANDROID, "13.1", Optional.of(true), false));

        assertThat(violations).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(ManagedDeviceEvaluator.MINIMUM_OS_VERSION);
            assertThat(violation.expected()).isEqualTo(">= 14");
            assertThat(violation.actual()).isEqualTo("13.1");
            assertThat(violation.summary()).contains("13.1").contains("14");
        });
    }

    @Test
    void theMinimumDependsOnThePlatform() {
        assertThat(evaluator.evaluate(report(Platform.WINDOWS, "10.0.19044", Optional.of(true), false)))
                .extracting(Violation::rule)
                .containsExactly(ManagedDeviceEvaluator.MINIMUM_OS_VERSION);
        assertThat(evaluator.evaluate(report(Platform.MACOS, "14.0", Optional.of(true), false)))
                .isEmpty();
    }

    @Test
    void aPlatformWithoutAConfiguredMinimumIsNotCheckedForItsVersion() {
        assertThat(evaluator.evaluate(report(Platform.UNKNOWN, "1.0", Optional.of(true), false)))
                .isEmpty();
    }

    @Test
    void anUnreadableOsVersionCannotProveTheMinimum() {
        assertThat(evaluator.evaluate(report(Platform.IOS, "unknown", Optional.of(true), false)))
                .singleElement()
                .satisfies(violation -> {
                    assertThat(violation.rule()).isEqualTo(ManagedDeviceEvaluator.MINIMUM_OS_VERSION);
                    assertThat(violation.actual()).isEqualTo("unknown");
                });
    }

    @Test
    void aJailbrokenOrRootedDeviceIsAViolation() {
        assertThat(evaluator.evaluate(report(Platform.IOS, "17.4", Optional.of(true), true)))
                .containsExactly(new Violation(
                        ManagedDeviceEvaluator.JAILBROKEN, "false", "true", "it is jailbroken or rooted"));
    }

    @Test
    void unencryptedStorageIsAViolationButAnUnreportedOneIsNot() {
        assertThat(evaluator.evaluate(report(Platform.IOS, "17.4", Optional.of(false), false)))
                .extracting(Violation::rule, Violation::expected, Violation::actual)
                .containsExactly(tuple(ManagedDeviceEvaluator.ENCRYPTION_REQUIRED, "true", "false"));
        assertThat(evaluator.evaluate(report(Platform.IOS, "17.4", Optional.empty(), false)))
                .isEmpty();
    }

    @Test
    void everyBrokenRuleIsNamedInOrder() {
        assertThat(evaluator.evaluate(report(Platform.ANDROID, "12", Optional.of(false), true)))
                .extracting(Violation::rule)
                .containsExactly(
                        ManagedDeviceEvaluator.MINIMUM_OS_VERSION,
                        ManagedDeviceEvaluator.JAILBROKEN,
                        ManagedDeviceEvaluator.ENCRYPTION_REQUIRED);
    }

    private static ManagedDeviceReport report(
            Platform platform, String osVersion, Optional<Boolean> encrypted, boolean jailbroken) {
        return new ManagedDeviceReport(platform, osVersion, encrypted, jailbroken);
    }

    @Test
    void eachFailedConfigurationProfileIsAFindingNamingItWhenThePolicyRequiresThemApplied() throws Exception {
        String settings = "{\"rules\": {\"configurationProfilesApplied\": true},"
                + " \"actions\": [{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT1H\"},"
                + " {\"action\": \"BLOCK\", \"after\": \"P3D\"}, {\"action\": \"RETIRE\", \"after\": \"P30D\"}]}";
        DeviceCompliancePolicy policy = DeviceCompliancePolicy.from(new StoredPolicy(
                "p1",
                PolicyKind.DEVICE_COMPLIANCE,
                "profiles",
                1,
                Optional.empty(),
                List.of(),
                new ObjectMapper().readTree(settings)));
        ManagedDeviceReport report = new ManagedDeviceReport(
                Platform.ANDROID,
                "14",
                Optional.of(true),
                false,
                Optional.of(true),
                List.of(),
                List.of(
                        new ProfileStatus("wifi", 2, "FAILED", "no cert"),
                        new ProfileStatus("vpn", 1, "APPLIED", null)));

        List<Violation> violations = ManagedDeviceEvaluator.evaluate(report, policy);

        assertThat(violations)
                .extracting(Violation::rule, Violation::expected, Violation::actual)
                .containsExactly(tuple("configurationProfilesApplied", "wifi applied", "FAILED: no cert"));
        assertThat(ManagedDeviceEvaluator.profileIdOf(violations.get(0))).isEqualTo("wifi");
        assertThat(policy.blockAfter()).contains(Duration.ofDays(3));
        assertThat(policy.retireAfter()).contains(Duration.ofDays(30));
        assertThat(ManagedDeviceEvaluator.evaluate(
                        report,
                        DeviceCompliancePolicy.from(new StoredPolicy(
                                "p2",
                                PolicyKind.DEVICE_COMPLIANCE,
                                "no profiles rule",
                                1,
                                Optional.empty(),
                                List.of(),
                                new ObjectMapper().readTree("{\"rules\": {}}")))))
                .isEmpty();
    }
}
