package dev.bulwark.compliance.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The unmanaged (MAM) path end to end, remediation disabled: a protected app's account on an unmanaged device is its
 * own subject, evaluated by the app rules (PIN, jailbreak, minimum app version for com.contoso.mail = 5.0 in the test
 * profile), and signed out of that app alone.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class UnmanagedComplianceFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void usersOutOfComplianceWithTheirMamPolicyAreSignedOutOfTheApp() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            app.publish(app.registered("4.9"));
            DeviceStateReported report = app.report("4.9", false, false);
            app.publish(report);

            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(failed.getManagementType()).isEqualTo(ManagementType.UNMANAGED);
            assertThat(failed.getUserId()).isEqualTo(app.userId);
            assertThat(failed.getViolations())
                    .extracting(RuleViolation::getRule, RuleViolation::getExpected, RuleViolation::getActual)
                    .containsExactly(
                            tuple("pinRequired", "true", "false"), tuple("minimumAppVersion", ">= 5.0", "4.9"));

            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getManagementType()).isEqualTo(ManagementType.UNMANAGED);
            assertThat(signOut.getUserId()).isEqualTo(app.userId);
            assertThat(signOut.getAppIds()).containsExactly(AppInstanceEvents.MAIL);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_DISABLED);
            assertThat(signOut.getUserMessage())
                    .startsWith("Your organization's policy requires you to sign back in. Your account in this app is"
                            + " not compliant: ")
                    .contains("PIN");
            assertThat(signOut.getCauseEventId()).isEqualTo(report.getEventId());
        }
        subject(app)
                .statusCode(200)
                .body("managementType", equalTo("UNMANAGED"))
                .body("state", equalTo("SIGNED_OUT"))
                .body("violations.rule", contains("pinRequired", "minimumAppVersion"));
        access(app, TestTokens.user(app.tenantId, app.userId))
                .statusCode(200)
                .body("decision", equalTo("SIGNED_OUT"))
                .body("message", startsWith("Signed out, sign in again."));

        try (TopicProbe compliance = probe(Topics.COMPLIANCE)) {
            app.publish(app.report("5.0.1", true, false));
            compliance.await(ComplianceRestored.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
        }
        access(app, TestTokens.user(app.tenantId, app.userId)).body("decision", equalTo("ALLOW"));
        timeline(app).body("entries.kind", contains("COMPLIANCE_FAILED", "SIGNED_OUT", "COMPLIANCE_RESTORED"));
    }

    @Test
    void anAppThatSwitchesToAnotherProtectedAccountThatIsOutOfComplianceIsToldToSignThatAccountOut() {
        AppInstanceEvents work = AppInstanceEvents.newMailApp();
        AppInstanceEvents other = work.otherAccount("other-" + work.userId);
        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            work.publish(work.registered("5.2"));
            work.publish(work.report("5.2", true, false));
            other.publish(other.registered("5.2"));
            other.publish(other.report("5.2", false, false));

            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(other.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getUserId()).isEqualTo(other.userId);
            assertThat(signOut.getUserMessage()).contains("sign back in");
            signOuts.assertNone(SignOutRequired.class, e -> e.getUserId().equals(work.userId), Duration.ofSeconds(1));
        }
        await().atMost(EVENT_TIMEOUT).untilAsserted(() -> access(work, TestTokens.user(work.tenantId, work.userId))
                .statusCode(200)
                .body("decision", equalTo("ALLOW")));
        access(other, TestTokens.user(other.tenantId, other.userId))
                .statusCode(200)
                .body("decision", equalTo("SIGNED_OUT"));
        // one account may not read another account's decision
        access(other, TestTokens.user(work.tenantId, work.userId)).statusCode(403);
    }

    @Test
    void aRegisteredAppThatHasNotReportedYetIsBlocked() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        app.publish(app.registered("5.2"));
        await().atMost(EVENT_TIMEOUT).untilAsserted(() -> access(app, TestTokens.user(app.tenantId, app.userId))
                .statusCode(200)
                .body("decision", equalTo("BLOCK"))
                .body("message", startsWith("This app has not reported its state yet.")));
    }

    private static TopicProbe probe(String topic) {
        return TopicProbe.open(BulwarkInfra.kafkaBootstrap(), topic);
    }

    private static ValidatableResponse subject(AppInstanceEvents app) {
        return given().auth()
                .oauth2(TestTokens.admin(app.tenantId))
                .get("/api/v1/subjects/{id}", app.registrationId)
                .then();
    }

    private static ValidatableResponse timeline(AppInstanceEvents app) {
        return given().auth()
                .oauth2(TestTokens.admin(app.tenantId))
                .get("/api/v1/subjects/{id}/timeline", app.registrationId)
                .then();
    }

    private static ValidatableResponse access(AppInstanceEvents app, String token) {
        return given().auth()
                .oauth2(token)
                .queryParam("subjectId", app.registrationId)
                .queryParam("resource", app.appId)
                .get("/api/v1/access")
                .then();
    }
}
