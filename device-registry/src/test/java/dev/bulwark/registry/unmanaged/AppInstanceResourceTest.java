package dev.bulwark.registry.unmanaged;

import static dev.bulwark.registry.Registry.EVENT_TIMEOUT;
import static dev.bulwark.registry.Registry.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.events.SelectiveWipeResult;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class AppInstanceResourceTest {

    private static final String MAIL = "com.contoso.mail";

    private static Map<String, Object> registration(String installationId) {
        return Registry.appRegistration(MAIL, installationId);
    }

    private static Map<String, Object> appState(String appVersion, boolean pinSet, boolean jailbroken) {
        return Map.of("osVersion", "17.5", "appVersion", appVersion, "pinSet", pinSet, "jailbroken", jailbroken);
    }

    @Test
    void aProtectedAppRegistersForTheTokensUserAsAnUnmanagedInstanceOnce() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("alice");
        String expectedId = RegistrationIds.of(tenant.tenantId, userId, MAIL, "install-1");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asUser(userId)
                    .body(registration("install-1"))
                    .post("/api/v1/app-instances")
                    .then()
                    .statusCode(201)
                    .body("registrationId", equalTo(expectedId))
                    .body("managementType", equalTo("UNMANAGED"));
            TopicProbe.ReceivedEvent received = probe.awaitReceived(
                    AppInstanceRegistered.class, e -> e.getTenantId().equals(tenant.tenantId), EVENT_TIMEOUT);
            AppInstanceRegistered event = received.event(AppInstanceRegistered.class);
            assertThat(received.key()).isEqualTo(expectedId);
            assertThat(received.headers())
                    .containsEntry("ce_type", "AppInstanceRegistered")
                    .containsEntry("ce_subject", expectedId);
            assertThat(event.getRegistrationId()).isEqualTo(expectedId);
            assertThat(event.getUserId()).isEqualTo(userId);
            assertThat(event.getAppId()).isEqualTo(MAIL);
            assertThat(event.getInstallationId()).isEqualTo("install-1");
            assertThat(event.getPlatform()).isEqualTo(Platform.IOS);
            assertThat(event.getAppVersion()).isEqualTo("5.2");
            assertThat(event.getDeviceId()).isNull();
            assertThat(event.getManagementType()).isEqualTo(ManagementType.UNMANAGED);

            tenant.asUser(userId)
                    .body(registration("install-1"))
                    .post("/api/v1/app-instances")
                    .then()
                    .statusCode(200)
                    .body("registrationId", equalTo(expectedId));
            probe.assertNone(
                    AppInstanceRegistered.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            && !e.getEventId().equals(event.getEventId()),
                    QUIET);
        }
    }

    @Test
    void anAppOnTheUsersEnrolledDeviceIsManagedAndAnotherUsersDeviceIsRefused() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("bob");
        String otherUser = tenant.user("carol");
        String ownDevice = tenant.device(userId);
        String othersDevice = tenant.device(otherUser);
        Map<String, Object> onOwn = registration("install-2");
        onOwn.put("deviceId", ownDevice);
        tenant.asUser(userId)
                .body(onOwn)
                .post("/api/v1/app-instances")
                .then()
                .statusCode(201)
                .body("managementType", equalTo("MANAGED"))
                .body("deviceId", equalTo(ownDevice));
        Map<String, Object> onOthers = registration("install-3");
        onOthers.put("deviceId", othersDevice);
        tenant.asUser(userId)
                .body(onOthers)
                .post("/api/v1/app-instances")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("deviceId"));
        tenant.asUser(userId).get("/api/v1/app-instances").then().body("totalItems", equalTo(1));
    }

    @Test
    void anAppInstanceOnARetiredDeviceStaysRegisteredButUnlinkedAndUnmanaged() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("erin");
        String deviceId = tenant.device(userId);
        Map<String, Object> onDevice = registration("install-retire");
        onDevice.put("deviceId", deviceId);
        String registrationId = tenant.asUser(userId)
                .body(onDevice)
                .post("/api/v1/app-instances")
                .then()
                .statusCode(201)
                .body("managementType", equalTo("MANAGED"))
                .extract()
                .path("registrationId");
        tenant.asAdmin().delete("/api/v1/devices/" + deviceId).then().statusCode(204);
        tenant.asUser(userId)
                .get("/api/v1/app-instances/" + registrationId)
                .then()
                .statusCode(200)
                .body("deviceId", nullValue())
                .body("managementType", equalTo("UNMANAGED"));
        tenant.asUser(userId)
                .body(appState("5.3", true, false))
                .post("/api/v1/app-instances/" + registrationId + "/state")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
    }

    @Test
    void badRegistrationsAreProblemsAndPublishNothing() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("dave");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            Map<String, Object> badPlatform = registration("i");
            badPlatform.put("platform", "SYMBIAN");
            tenant.asUser(userId)
                    .body(badPlatform)
                    .post("/api/v1/app-instances")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("platform"));
            Map<String, Object> badVersion = registration("i");
            badVersion.put("appVersion", "latest");
            tenant.asUser(userId)
                    .body(badVersion)
                    .post("/api/v1/app-instances")
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("appVersion"));
            tenant.asUser("not-in-directory")
                    .body(registration("i"))
                    .post("/api/v1/app-instances")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("userId"));
            tenant.asAdmin()
                    .body(registration("i"))
                    .post("/api/v1/app-instances")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            probe.assertNone(AppInstanceRegistered.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
        }
        tenant.asAdmin().get("/api/v1/app-instances").then().body("totalItems", equalTo(0));
    }

    @Test
    void theOwningUsersCheckInIsPublishedAsAnUnmanagedDeviceStateReported() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("erin");
        String registrationId = tenant.asUser(userId)
                .body(registration("install-4"))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(201)
                .extract()
                .path("registrationId");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asUser(userId)
                    .body(appState("5.3", false, true))
                    .post("/api/v1/app-instances/" + registrationId + "/state")
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(true));
            TopicProbe.ReceivedEvent received = probe.awaitReceived(
                    DeviceStateReported.class, e -> e.getSubjectId().equals(registrationId), EVENT_TIMEOUT);
            DeviceStateReported event = received.event(DeviceStateReported.class);
            assertThat(received.key()).isEqualTo(registrationId);
            assertThat(event.getTenantId()).isEqualTo(tenant.tenantId);
            assertThat(event.getManagementType()).isEqualTo(ManagementType.UNMANAGED);
            assertThat(event.getUserId()).isEqualTo(userId);
            assertThat(event.getPlatform()).isEqualTo(Platform.IOS);
            assertThat(event.getAppId()).isEqualTo(MAIL);
            assertThat(event.getAppVersion()).isEqualTo("5.3");
            assertThat(event.getPinSet()).isFalse();
            assertThat(event.getJailbroken()).isTrue();
            assertThat(event.getEncrypted()).isNull();
            assertThat(event.getInstalledApps()).isEmpty();
            assertThat(event.getConfigurationProfiles()).isEmpty();
            assertThat(event.getSelectiveWipeResults()).isEmpty();
        }
        tenant.asUser(userId)
                .get("/api/v1/app-instances/" + registrationId)
                .then()
                .statusCode(200)
                .body("appVersion", equalTo("5.3"))
                .body("pinSet", equalTo(false));
    }

    @Test
    void onlyTheOwningUserReportsAndAnotherTenantDoesNotFindTheInstance() {
        Registry tenant = Registry.newTenant();
        Registry otherTenant = Registry.newTenant();
        String userId = tenant.user("frank");
        tenant.user("gina");
        String registrationId = tenant.asUser(userId)
                .body(registration("install-5"))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(201)
                .extract()
                .path("registrationId");
        String path = "/api/v1/app-instances/" + registrationId + "/state";
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asUser("gina")
                    .body(appState("5.3", true, false))
                    .post(path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            tenant.asAdmin()
                    .body(appState("5.3", true, false))
                    .post(path)
                    .then()
                    .statusCode(403);
            otherTenant
                    .asUser(userId)
                    .body(appState("5.3", true, false))
                    .post(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            tenant.asUser(userId)
                    .body(Map.of("osVersion", "17.5", "appVersion", "5.3", "pinSet", "sure"))
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("pinSet"));
            probe.assertNone(DeviceStateReported.class, e -> e.getSubjectId().equals(registrationId), QUIET);
        }
        otherTenant
                .asAdmin()
                .get("/api/v1/app-instances/" + registrationId)
                .then()
                .statusCode(404);
        tenant.asUser("gina")
                .get("/api/v1/app-instances/" + registrationId)
                .then()
                .statusCode(403);
        tenant.asAdmin()
                .get("/api/v1/app-instances/" + registrationId)
                .then()
                .statusCode(200)
                .body("lastContactAt", org.hamcrest.Matchers.nullValue());
    }

    private String registered(Registry tenant, String userId, String installationId) {
        return tenant.asUser(userId)
                .body(registration(installationId))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(201)
                .extract()
                .path("registrationId");
    }

    @Test
    void anAppReportsTheOutcomeOfItsSelectiveWipeInItsCheckInEvent() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("hank");
        String registrationId = registered(tenant, userId, "install-6");
        Map<String, Object> body = new HashMap<>(appState("5.3", true, false));
        body.put(
                "selectiveWipeResults", List.of(Map.of("appId", MAIL, "succeeded", false, "reason", "user cancelled")));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asUser(userId)
                    .body(body)
                    .post("/api/v1/app-instances/" + registrationId + "/state")
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(true));
            DeviceStateReported event =
                    probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(registrationId), EVENT_TIMEOUT);
            assertThat(event.getSelectiveWipeResults())
                    .extracting(
                            SelectiveWipeResult::getAppId,
                            SelectiveWipeResult::getSucceeded,
                            SelectiveWipeResult::getReason)
                    .containsExactly(tuple(MAIL, false, "user cancelled"));
            assertThat(event.getConfigurationProfiles()).isEmpty();
        }
    }

    @Test
    void anAppInstanceCannotReportConfigurationProfilesNorAnotherAppsWipe() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("ivy");
        String registrationId = registered(tenant, userId, "install-7");
        String path = "/api/v1/app-instances/" + registrationId + "/state";
        Map<String, Object> withProfiles = new HashMap<>(appState("5.3", true, false));
        withProfiles.put(
                "configurationProfiles", List.of(Map.of("profileId", "prof-wifi", "version", 1, "state", "APPLIED")));
        Map<String, Object> emptyProfiles = new HashMap<>(appState("5.3", true, false));
        emptyProfiles.put("configurationProfiles", List.of());
        Map<String, Object> otherApp = new HashMap<>(appState("5.3", true, false));
        otherApp.put("selectiveWipeResults", List.of(Map.of("appId", "com.contoso.files", "succeeded", true)));
        Map<String, Object> twice = new HashMap<>(appState("5.3", true, false));
        twice.put(
                "selectiveWipeResults",
                List.of(Map.of("appId", MAIL, "succeeded", true), Map.of("appId", MAIL, "succeeded", false)));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            for (Map<String, Object> body : List.of(withProfiles, emptyProfiles)) {
                tenant.asUser(userId)
                        .body(body)
                        .post(path)
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("errors[0].field", equalTo("configurationProfiles"));
            }
            tenant.asUser(userId)
                    .body(otherApp)
                    .post(path)
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("selectiveWipeResults[0].appId"));
            tenant.asUser(userId)
                    .body(twice)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("selectiveWipeResults[1].appId"));
            probe.assertNone(DeviceStateReported.class, e -> e.getSubjectId().equals(registrationId), QUIET);
        }
        tenant.asAdmin()
                .get("/api/v1/app-instances/" + registrationId)
                .then()
                .statusCode(200)
                .body("lastContactAt", nullValue())
                .body("stateReportedAt", nullValue());
    }
}
