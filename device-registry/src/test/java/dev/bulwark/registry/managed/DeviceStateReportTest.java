package dev.bulwark.registry.managed;

import static dev.bulwark.registry.Registry.EVENT_TIMEOUT;
import static dev.bulwark.registry.Registry.QUIET;
import static dev.bulwark.registry.Registry.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.ConfigurationProfileStatus;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.InstalledApp;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.events.SelectiveWipeResult;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class DeviceStateReportTest {

    @Test
    void aDevicesCheckInIsStoredAndPublishedAsAManagedDeviceStateReportedWithTheReportedValues() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("alice");
        String deviceId = tenant.device(userId);
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asDevice(deviceId)
                    .body(state("14.2", true, false, true))
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(true))
                    .body("lastContactAt", notNullValue());

            TopicProbe.ReceivedEvent received = probe.awaitReceived(
                    DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), EVENT_TIMEOUT);
            DeviceStateReported event = received.event(DeviceStateReported.class);
            assertThat(received.key()).isEqualTo(deviceId);
            assertThat(received.headers())
                    .containsEntry("ce_type", "DeviceStateReported")
                    .containsEntry("ce_subject", deviceId);
            assertThat(event.getTenantId()).isEqualTo(tenant.tenantId);
            assertThat(event.getManagementType()).isEqualTo(ManagementType.MANAGED);
            assertThat(event.getUserId()).isEqualTo(userId);
            assertThat(event.getPlatform()).isEqualTo(Platform.ANDROID);
            assertThat(event.getOsVersion()).isEqualTo("14.2");
            assertThat(event.getEncrypted()).isTrue();
            assertThat(event.getPasscodeSet()).isFalse();
            assertThat(event.getJailbroken()).isTrue();
            assertThat(event.getInstalledApps())
                    .extracting(InstalledApp::getAppId, InstalledApp::getVersion)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("com.contoso.mail", "5.2.0"));
            assertThat(event.getAppId()).isNull();
            assertThat(event.getPinSet()).isNull();
            assertThat(event.getLastContactAt()).isNotNull();
            assertThat(event.getConfigurationProfiles()).isEmpty();
            assertThat(event.getSelectiveWipeResults()).isEmpty();
        }
        tenant.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .body("osVersion", equalTo("14.2"))
                .body("lastContactAt", notNullValue())
                .body("state.encrypted", equalTo(true))
                .body("state.jailbroken", equalTo(true))
                .body("state.installedApps[0].appId", equalTo("com.contoso.mail"));
    }

    @Test
    void anAdminMayReportForADeviceAndTheReportedAtTimeBecomesOccurredAt() {
        Registry tenant = Registry.newTenant();
        String deviceId = tenant.device(tenant.user("bob"));
        Instant observed = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> body = state("14.1", true, true, false);
        body.put("reportedAt", observed.toString());
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asAdmin()
                    .body(body)
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(200);
            DeviceStateReported event =
                    probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), EVENT_TIMEOUT);
            assertThat(event.getOccurredAt()).isEqualTo(observed);
            assertThat(event.getLastContactAt()).isAfter(observed);
        }
    }

    @Test
    void anotherDevicesTokenIsForbiddenAndChangesNothing() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("carol");
        String deviceId = tenant.device(userId);
        String otherDevice = tenant.device(userId);
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asDevice(otherDevice)
                    .body(state("14.1", true, true, false))
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            tenant.asUser(userId)
                    .body(state("14.1", true, true, false))
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            probe.assertNone(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), QUIET);
        }
        tenant.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .body("lastContactAt", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void anotherTenantsDeviceIsNotFound() {
        Registry tenantA = Registry.newTenant();
        Registry tenantB = Registry.newTenant();
        String deviceId = tenantA.device(tenantA.user("dave"));
        tenantB.asAdmin()
                .body(state("14.1", true, true, false))
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        tenantA.asAdmin().get("/api/v1/devices/" + deviceId).then().body("state", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aMalformedReportIsAProblemNamingTheFieldAndNothingIsStoredOrPublished() {
        Registry tenant = Registry.newTenant();
        String deviceId = tenant.device(tenant.user("erin"));
        String path = "/api/v1/devices/" + deviceId + "/state";
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            Map<String, Object> notABoolean = state("14.1", true, true, false);
            notABoolean.put("encrypted", "yes");
            tenant.asDevice(deviceId)
                    .body(notABoolean)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("encrypted"));
            Map<String, Object> missing = state("14.1", true, true, false);
            missing.remove("jailbroken");
            tenant.asDevice(deviceId)
                    .body(missing)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("jailbroken"));
            tenant.asDevice(deviceId)
                    .body(state("fourteen", true, true, false))
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("osVersion"));
            Map<String, Object> blankApp = state("14.1", true, true, false);
            blankApp.put("installedApps", List.of(Map.of("appId", "com.contoso.mail", "version", "")));
            tenant.asDevice(deviceId)
                    .body(blankApp)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.containsString("version"));
            Map<String, Object> future = state("14.1", true, true, false);
            future.put("reportedAt", Instant.now().plus(1, ChronoUnit.DAYS).toString());
            tenant.asDevice(deviceId)
                    .body(future)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("reportedAt"));
            Map<String, Object> badTime = state("14.1", true, true, false);
            badTime.put("reportedAt", "yesterday");
            tenant.asDevice(deviceId)
                    .body(badTime)
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("reportedAt"));
            tenant.asDevice(deviceId)
                    .body("not json")
                    .post(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
            probe.assertNone(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), QUIET);
        }
        tenant.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .body("state", org.hamcrest.Matchers.nullValue())
                .body("lastContactAt", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aReportOlderThanTheStoredStateOnlyCountsAsContactAndIsNotPublished() {
        Registry tenant = Registry.newTenant();
        String deviceId = tenant.device(tenant.user("frank"));
        String path = "/api/v1/devices/" + deviceId + "/state";
        Map<String, Object> newer = state("14.2", true, true, true);
        newer.put("reportedAt", Instant.now().minus(1, ChronoUnit.MINUTES).toString());
        Map<String, Object> older = state("14.1", true, true, false);
        older.put("reportedAt", Instant.now().minus(10, ChronoUnit.MINUTES).toString());
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asDevice(deviceId)
                    .body(newer)
                    .post(path)
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(true));
            DeviceStateReported first =
                    probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), EVENT_TIMEOUT);
            tenant.asDevice(deviceId)
                    .body(older)
                    .post(path)
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(false));
            probe.assertNone(
                    DeviceStateReported.class,
                    e -> e.getSubjectId().equals(deviceId) && !e.getEventId().equals(first.getEventId()),
                    QUIET);
        }
        tenant.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .body("osVersion", equalTo("14.2"))
                .body("state.jailbroken", equalTo(true));
    }

    @Test
    void profileOutcomesAndSelectiveWipeResultsOfACheckInAreCarriedIntoItsEvent() {
        Registry tenant = Registry.newTenant();
        String deviceId = tenant.device(tenant.user("gail"));
        Map<String, Object> body = state("14.2", true, true, false);
        body.put(
                "configurationProfiles",
                List.of(
                        Map.of("profileId", "prof-wifi", "version", 3, "state", "APPLIED"),
                        Map.of("profileId", "prof-vpn", "version", 1, "state", "FAILED", "reason", "no VPN client"),
                        Map.of("profileId", "prof-old", "version", 2, "state", "REMOVED")));
        body.put(
                "selectiveWipeResults",
                List.of(
                        Map.of("appId", "com.contoso.mail", "succeeded", true),
                        Map.of("appId", "com.contoso.files", "succeeded", false, "reason", "storage locked")));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asDevice(deviceId)
                    .body(body)
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(true));
            DeviceStateReported event =
                    probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), EVENT_TIMEOUT);
            assertThat(event.getConfigurationProfiles())
                    .extracting(
                            ConfigurationProfileStatus::getProfileId,
                            ConfigurationProfileStatus::getVersion,
                            ConfigurationProfileStatus::getState,
                            ConfigurationProfileStatus::getReason)
                    .containsExactly(
                            tuple("prof-wifi", 3L, ConfigurationProfileState.APPLIED, null),
                            tuple("prof-vpn", 1L, ConfigurationProfileState.FAILED, "no VPN client"),
                            tuple("prof-old", 2L, ConfigurationProfileState.REMOVED, null));
            assertThat(event.getSelectiveWipeResults())
                    .extracting(
                            SelectiveWipeResult::getAppId,
                            SelectiveWipeResult::getSucceeded,
                            SelectiveWipeResult::getReason)
                    .containsExactly(
                            tuple("com.contoso.mail", true, null), tuple("com.contoso.files", false, "storage locked"));

            // Outcomes belong to the check-in that carried them: the next one without any publishes empty lists.
            tenant.asDevice(deviceId)
                    .body(state("14.2", true, true, false))
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(200);
            DeviceStateReported next = probe.await(
                    DeviceStateReported.class,
                    e -> e.getSubjectId().equals(deviceId) && !e.getEventId().equals(event.getEventId()),
                    EVENT_TIMEOUT);
            assertThat(next.getConfigurationProfiles()).isEmpty();
            assertThat(next.getSelectiveWipeResults()).isEmpty();
        }
    }

    @Test
    void badProfileOrWipeEntriesAreProblemsNamingTheFieldAndNothingIsStoredOrPublished() {
        Registry tenant = Registry.newTenant();
        String deviceId = tenant.device(tenant.user("hank"));
        String path = "/api/v1/devices/" + deviceId + "/state";
        Map<String, Object> applied = Map.of("profileId", "prof-wifi", "version", 3, "state", "APPLIED");
        List<Map.Entry<Object, String>> cases = List.of(
                Map.entry(
                        Map.of(
                                "configurationProfiles",
                                List.of(Map.of("profileId", "p", "version", 1, "state", "PENDING"))),
                        "configurationProfiles[0].state"),
                Map.entry(
                        Map.of(
                                "configurationProfiles",
                                List.of(Map.of("profileId", "p", "version", 1, "state", "UNKNOWN"))),
                        "configurationProfiles[0].state"),
                Map.entry(
                        Map.of(
                                "configurationProfiles",
                                List.of(Map.of("profileId", "p", "version", -1, "state", "APPLIED"))),
                        "configurationProfiles[0].version"),
                Map.entry(
                        Map.of("configurationProfiles", List.of(Map.of("version", 1, "state", "APPLIED"))),
                        "configurationProfiles[0].profileId"),
                Map.entry(
                        Map.of("configurationProfiles", List.of(Map.of("profileId", "p", "state", "APPLIED"))),
                        "configurationProfiles[0].version"),
                Map.entry(
                        Map.of("configurationProfiles", List.of(applied, applied)),
                        "configurationProfiles[1].profileId"),
                Map.entry(
                        Map.of("selectiveWipeResults", List.of(Map.of("appId", "com.contoso.mail"))),
                        "selectiveWipeResults[0].succeeded"),
                Map.entry(
                        Map.of("selectiveWipeResults", List.of(Map.of("appId", "", "succeeded", true))),
                        "selectiveWipeResults[0].appId"),
                Map.entry(
                        Map.of(
                                "selectiveWipeResults",
                                List.of(
                                        Map.of("appId", "com.contoso.mail", "succeeded", true),
                                        Map.of("appId", "com.contoso.mail", "succeeded", false))),
                        "selectiveWipeResults[1].appId"));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            for (Map.Entry<Object, String> badCase : cases) {
                Map<String, Object> body = state("14.1", true, true, false);
                @SuppressWarnings("unchecked")
                Map<String, Object> extra = (Map<String, Object>) badCase.getKey();
                body.putAll(extra);
                tenant.asDevice(deviceId)
                        .body(body)
                        .post(path)
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("errors[0].field", org.hamcrest.Matchers.equalTo(badCase.getValue()));
            }
            probe.assertNone(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), QUIET);
        }
        tenant.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .body("state", org.hamcrest.Matchers.nullValue())
                .body("lastContactAt", org.hamcrest.Matchers.nullValue());
    }
}
