package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.Api.access;
import static dev.bulwark.compliance.flow.Api.probe;
import static dev.bulwark.compliance.flow.Api.subject;
import static dev.bulwark.compliance.flow.Api.wipesOf;
import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
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
 * The app protection policy's offline periods: past the period before an access check the access decision blocks;
 * past the period before a wipe the job signs the account out with a selective wipe (OFFLINE_TOO_LONG), once per
 * offline episode; the next check-in ends the episode.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class OfflinePeriodFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    EntityManager entityManager;

    @Test
    void anAppOfflineTooLongIsFirstBlockedThenSignedOutWithAWipeOnceAndACheckInEndsTheEpisode() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        tenant.licence(app.userId, true);
        Projections.awaitLicence(entityManager, app.tenantId, app.userId, true);
        String policyId = PolicyEvents.newId("app-policy");
        tenant.appProtection(
                policyId,
                1,
                List.of(allUsers()),
                "{\"pinRequired\": true, \"offlineGracePeriodBeforeAccessCheck\": \"PT3S\","
                        + " \"offlineGracePeriodBeforeWipe\": \"PT6S\", \"remediationEnabled\": false}");
        Projections.awaitPolicy(entityManager, app.tenantId, policyId, 1);

        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            app.publish(app.registered("6.0"));
            app.publish(app.report("6.0", true, false));
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> subject(app.tenantId, app.registrationId)
                    .statusCode(200)
                    .body("state", equalTo("COMPLIANT")));

            // past the access-check period: blocked with the reason, still compliant and not signed out
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> access(app.tenantId, app.registrationId)
                    .statusCode(200)
                    .body("decision", equalTo("BLOCK"))
                    .body("message", containsString("offline")));

            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.OFFLINE_TOO_LONG);
            assertThat(signOut.getSelectiveWipe()).isTrue();
            assertThat(signOut.getAppIds()).containsExactly(AppInstanceEvents.MAIL);
            assertThat(signOut.getViolations()).singleElement().satisfies(v -> assertThat(v.getRule())
                    .isEqualTo("offlineGracePeriodBeforeWipe"));
            subject(app.tenantId, app.registrationId).statusCode(200).body("state", equalTo("SIGNED_OUT"));
            access(app.tenantId, app.registrationId).statusCode(200).body("decision", equalTo("SIGNED_OUT"));
            wipesOf(app.tenantId, app.registrationId)
                    .statusCode(200)
                    .body("items", hasSize(1))
                    .body("items[0].reason", equalTo("OFFLINE_TOO_LONG"));
            // once per episode: the job's next rounds (every second in tests) do not sign out again
            signOuts.assertNone(
                    SignOutRequired.class,
                    e -> e.getSubjectId().equals(app.registrationId)
                            && !e.getEventId().equals(signOut.getEventId()),
                    Duration.ofSeconds(3));

            // the app comes back online, wiped: the episode ends and the account complies again
            DeviceStateReported back =
                    app.report("6.0", true, false, List.of(DeviceEvents.wipe(AppInstanceEvents.MAIL, true, null)));
            app.publish(back);
            ComplianceRestored restored = compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(restored.getCauseEventId()).isEqualTo(back.getEventId());
            wipesOf(app.tenantId, app.registrationId).statusCode(200).body("items[0].status", equalTo("SUCCESSFUL"));
            access(app.tenantId, app.registrationId).statusCode(200).body("decision", equalTo("ALLOW"));
        }
    }
}
