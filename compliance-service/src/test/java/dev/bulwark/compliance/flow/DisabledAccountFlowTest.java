package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.Api.access;
import static dev.bulwark.compliance.flow.Api.probe;
import static dev.bulwark.compliance.flow.Api.subject;
import static dev.bulwark.compliance.flow.Api.wipesOf;
import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The app protection policy's "disabled account" conditional launch: a UserAccountChanged that disables the account
 * makes every app instance of the user non-compliant at once — blocked, or signed out with a selective wipe when the
 * action is WIPE_DATA — and enabling it again restores compliance.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class DisabledAccountFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(3);

    @Inject
    EntityManager entityManager;

    @Test
    void aDisabledAccountIsBlockedInEveryAppInstanceUntilEnabledAgain() {
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        AppInstanceEvents second = AppInstanceEvents.newMailApp().sameUserAs(first);
        String policyId = policy(first, "BLOCK_ACCESS");
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            for (AppInstanceEvents app : List.of(first, second)) {
                app.publish(app.registered("6.0"));
                app.publish(app.report("6.0", true, false));
            }
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> {
                subject(first.tenantId, first.registrationId).statusCode(200).body("state", equalTo("COMPLIANT"));
                subject(second.tenantId, second.registrationId).statusCode(200).body("state", equalTo("COMPLIANT"));
            });

            UserAccountChanged disabled = new PolicyEvents(first.tenantId).account(first.userId, false);
            for (AppInstanceEvents app : List.of(first, second)) {
                ComplianceFailed failed = compliance.await(
                        ComplianceFailed.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
                assertThat(failed.getCauseEventId()).isEqualTo(disabled.getEventId());
                assertThat(failed.getRemediationEnabled()).isFalse();
                assertThat(failed.getViolations())
                        .extracting(
                                RuleViolation::getRule,
                                RuleViolation::getExpected,
                                RuleViolation::getActual,
                                RuleViolation::getPolicyId)
                        .containsExactly(tuple("disabledAccount", "enabled", "disabled", policyId));
                subject(app.tenantId, app.registrationId).statusCode(200).body("state", equalTo("BLOCKED"));
                access(app.tenantId, app.registrationId)
                        .statusCode(200)
                        .body("decision", equalTo("BLOCK"))
                        .body("message", containsString("account is disabled"));
            }
            signOuts.assertNone(SignOutRequired.class, e -> e.getUserId().equals(first.userId), QUIET);

            new PolicyEvents(first.tenantId).account(first.userId, true);
            compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(first.registrationId), EVENT_TIMEOUT);
            compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(second.registrationId), EVENT_TIMEOUT);
            access(first.tenantId, first.registrationId).statusCode(200).body("decision", equalTo("ALLOW"));
        }
    }

    @Test
    void whenThePolicysActionIsWipeADisabledAccountIsSignedOutWithASelectiveWipe() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        policy(app, "WIPE_DATA");
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            app.publish(app.registered("6.0"));
            app.publish(app.report("6.0", true, false));
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> subject(app.tenantId, app.registrationId)
                    .statusCode(200)
                    .body("state", equalTo("COMPLIANT")));

            UserAccountChanged disabled = new PolicyEvents(app.tenantId).account(app.userId, false);
            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.ACCOUNT_DISABLED);
            assertThat(signOut.getSelectiveWipe()).isTrue();
            assertThat(signOut.getAppIds()).containsExactly(AppInstanceEvents.MAIL);
            assertThat(signOut.getCauseEventId()).isEqualTo(disabled.getEventId());
            wipesOf(app.tenantId, app.registrationId)
                    .statusCode(200)
                    .body("items", hasSize(1))
                    .body("items[0].reason", equalTo("ACCOUNT_DISABLED"))
                    .body("items[0].status", equalTo("PENDING"));
            access(app.tenantId, app.registrationId).statusCode(200).body("decision", equalTo("SIGNED_OUT"));

            // enabled again, and a compliant check-in: restored as for any other rule
            new PolicyEvents(app.tenantId).account(app.userId, true);
            app.publish(app.report("6.0", true, false));
            compliance.await(ComplianceRestored.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
        }
    }

    private String policy(AppInstanceEvents app, String action) {
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        tenant.licence(app.userId, true);
        Projections.awaitLicence(entityManager, app.tenantId, app.userId, true);
        String policyId = PolicyEvents.newId("app-policy");
        tenant.appProtection(
                policyId,
                1,
                List.of(allUsers()),
                "{\"pinRequired\": true, \"disabledAccount\": \"" + action + "\", \"remediationEnabled\": false}");
        Projections.awaitPolicy(entityManager, app.tenantId, policyId, 1);
        return policyId;
    }
}
