package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.Api.probe;
import static dev.bulwark.compliance.flow.Api.timeline;
import static dev.bulwark.compliance.flow.Api.wipesOf;
import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.Platform;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Selective wipe status: every sign-out with a selective wipe records one wipe per app x user x subject (PENDING), which
 * the app's next check-in completes as SUCCESSFUL or FAILED; {@code GET /api/v1/wipes} and {@code /wipes/{id}}.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class SelectiveWipeFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    EntityManager entityManager;

    @Test
    void aSignOutWithWipeIsPendingUntilTheAppReportsItAtItsNextCheckInOnceEvenWhenRedelivered() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        tenant.licence(app.userId, true);
        Projections.awaitLicence(entityManager, app.tenantId, app.userId, true);
        var policy = tenant.appProtection(
                PolicyEvents.newId("app-policy"),
                1,
                List.of(allUsers()),
                "{\"jailbrokenOrRooted\": \"WIPE_DATA\", \"remediationEnabled\": false}");
        Projections.awaitPolicy(entityManager, app.tenantId, policy.getPolicyId(), 1);

        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            app.publish(app.registered("5.5"));
            app.publish(app.report("5.5", true, true));
            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getSelectiveWipe()).isTrue();

            JsonPath pending = wipesOf(app.tenantId, app.registrationId)
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(pending.getList("items")).hasSize(1);
            assertThat(pending.getString("items[0].status")).isEqualTo("PENDING");
            assertThat(pending.getString("items[0].appId")).isEqualTo(AppInstanceEvents.MAIL);
            assertThat(pending.getString("items[0].userId")).isEqualTo(app.userId);
            assertThat(pending.getString("items[0].managementType")).isEqualTo("UNMANAGED");
            assertThat(pending.getString("items[0].reason")).isEqualTo("REMEDIATION_DISABLED");
            assertThat(pending.getString("items[0].signOutEventId")).isEqualTo(signOut.getEventId());
            assertThat(pending.getLong("totalItems")).isEqualTo(1);
            String wipeId = pending.getString("items[0].wipeId");

            // The app wipes its corporate data and says so at its next check-in (still jailbroken: signed out anyway).
            DeviceStateReported done =
                    app.report("5.5", true, true, List.of(DeviceEvents.wipe(AppInstanceEvents.MAIL, true, null)));
            app.publish(done);
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> wipe(app.tenantId, wipeId)
                    .statusCode(200)
                    .body("status", equalTo("SUCCESSFUL"))
                    .body("resultEventId", equalTo(done.getEventId()))
                    .body("completedAt", notNullValue()));

            // Redelivered: nothing changes. A later check-in, on the same partition, shows it was read past.
            app.publish(done);
            app.publish(app.report("5.5", true, false));
            // made after the compliant one: a report older than the last one applied is not evaluated
            DeviceStateReported jailbrokenAgain = app.report("5.5", false, true);
            app.publish(jailbrokenAgain);
            SignOutRequired second = signOuts.await(
                    SignOutRequired.class,
                    e -> e.getSubjectId().equals(app.registrationId)
                            && jailbrokenAgain.getEventId().equals(e.getCauseEventId()),
                    EVENT_TIMEOUT);
            assertThat(second.getSelectiveWipe()).isTrue();
        }
        JsonPath entries = timeline(app.tenantId, app.registrationId)
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(entries.getList("entries.findAll { it.kind == 'SELECTIVE_WIPE_COMPLETED' }"))
                .hasSize(1);
        assertThat(entries.getString("entries.find { it.kind == 'SELECTIVE_WIPE_COMPLETED' }.detail.wipeId"))
                .isEqualTo(wipeId(app));
        assertThat(entries.getList("entries.findAll { it.kind == 'SELECTIVE_WIPE_REQUESTED' }"))
                .hasSize(2);
        // filters and paging: the second sign-out's wipe is the pending one, newest first
        listed(app.tenantId, "subjectId=" + app.registrationId + "&status=PENDING")
                .body("items", hasSize(1))
                .body("items[0].status", equalTo("PENDING"))
                .body("totalItems", equalTo(1));
        listed(app.tenantId, "userId=" + app.userId + "&size=1&page=1")
                .body("items", hasSize(1))
                .body("items[0].status", equalTo("SUCCESSFUL"))
                .body("page", equalTo(1))
                .body("size", equalTo(1))
                .body("totalItems", equalTo(2));
    }

    @Test
    void aRetiredDevicesWipeCoversEveryProtectedAppAndFailsWithTheAppsReason() {
        DeviceEvents device = DeviceEvents.newDevice();
        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.ANDROID, "14.1"));
            device.publish(device.passingReport());
            device.publish(device.retired());
            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.DEVICE_RETIRED);
            assertThat(signOut.getSelectiveWipe()).isTrue();
        }
        JsonPath pending = wipesOf(device.tenantId, device.deviceId)
                .statusCode(200)
                .body("items", hasSize(1))
                .extract()
                .jsonPath();
        assertThat(pending.getString("items[0].status")).isEqualTo("PENDING");
        assertThat(pending.getString("items[0].appId"))
                .as("every protected app")
                .isNull();
        assertThat(pending.getString("items[0].reason")).isEqualTo("DEVICE_RETIRED");
        String wipeId = pending.getString("items[0].wipeId");

        device.publish(device.report(
                Platform.ANDROID,
                "14.1",
                true,
                false,
                List.of(),
                List.of(
                        DeviceEvents.wipe("com.contoso.mail", true, null),
                        DeviceEvents.wipe("com.contoso.files", false, "storage is busy"))));
        await().atMost(EVENT_TIMEOUT).untilAsserted(() -> wipe(device.tenantId, wipeId)
                .statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("failureReason", equalTo("com.contoso.files: storage is busy")));
        timeline(device.tenantId, device.deviceId)
                .statusCode(200)
                .body("entries.find { it.kind == 'SELECTIVE_WIPE_COMPLETED' }.detail.status", equalTo("FAILED"));
    }

    @Test
    void badFiltersAre400AndAnotherTenantsWipeIs404() {
        DeviceEvents device = DeviceEvents.newDevice();
        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.ANDROID, "14.1"));
            device.publish(device.retired());
            signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
        }
        String wipeId = wipesOf(device.tenantId, device.deviceId)
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("items[0].wipeId");
        wipe(device.tenantId, wipeId).statusCode(200).body("subjectId", equalTo(device.deviceId));
        wipe("another-" + device.tenantId, wipeId).statusCode(404).contentType("application/problem+json");
        listed(device.tenantId, "status=GONE").statusCode(400).contentType("application/problem+json");
        listed(device.tenantId, "size=0").statusCode(400).contentType("application/problem+json");
        listed(device.tenantId, "page=x").statusCode(400);
        listed("another-" + device.tenantId, "subjectId=" + device.deviceId).body("totalItems", equalTo(0));
        given().auth()
                .oauth2(TestTokens.user(device.tenantId, device.userId))
                .get("/api/v1/wipes")
                .then()
                .statusCode(403);
    }

    private String wipeId(AppInstanceEvents app) {
        return listed(app.tenantId, "subjectId=" + app.registrationId + "&status=SUCCESSFUL")
                .extract()
                .jsonPath()
                .getString("items[0].wipeId");
    }

    private static io.restassured.response.ValidatableResponse wipe(String tenantId, String wipeId) {
        return given().auth()
                .oauth2(TestTokens.admin(tenantId))
                .when()
                .get("/api/v1/wipes/{id}", wipeId)
                .then();
    }

    private static io.restassured.response.ValidatableResponse listed(String tenantId, String query) {
        return given().auth()
                .oauth2(TestTokens.admin(tenantId))
                .when()
                .get("/api/v1/wipes?" + query)
                .then();
    }
}
