package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.TopicProbe;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation of every later scenario, across real processes: an admin adds a user and enrolls their phone in
 * device-registry; the enrollment reaches Kafka; the phone checks in with an OS below the baseline's minimum;
 * compliance-service, which only hears about it through {@code bulwark.devices.v1}, finds it non-compliant and — with
 * remediation disabled by the baseline — requires the user to sign out, and shows that state over REST.
 */
class FoundationFlowIT {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static RunningStack stack;

    @BeforeAll
    static void startStack() {
        stack = ScenarioStack.start(
                dataDir, EnumSet.of(BulwarkService.DEVICE_REGISTRY, BulwarkService.COMPLIANCE_SERVICE));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aManagedDeviceBelowTheMinimumOsFailsComplianceAndItsUserMustSignOut() {
        String tenant = "scenario-" + UUID.randomUUID();
        String admin = stack.adminToken(tenant);
        String registry = stack.url(BulwarkService.DEVICE_REGISTRY);
        String compliance = stack.url(BulwarkService.COMPLIANCE_SERVICE);
        String hardwareId = "SN-" + UUID.randomUUID();

        try (TopicProbe devices = TopicProbe.open(stack.bootstrapServers(), Topics.DEVICES);
                TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {

            String userId = given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("displayName", "Alex Fieldworker", "email", "alex@example.com"))
                    .post(registry + "/api/v1/users")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("userId");
            assertThat(userId).isNotBlank();

            String deviceId = given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "userId", userId,
                            "platform", "ANDROID",
                            "osVersion", "14",
                            "model", "Pixel 8",
                            "hardwareId", hardwareId,
                            "ownership", "CORPORATE"))
                    .post(registry + "/api/v1/devices")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("deviceId");
            assertThat(deviceId).isNotBlank();

            DeviceEnrolled enrolled =
                    devices.await(DeviceEnrolled.class, e -> e.getDeviceId().equals(deviceId), EVENT_TIMEOUT);
            assertThat(enrolled.getTenantId()).isEqualTo(tenant);
            assertThat(enrolled.getUserId()).isEqualTo(userId);
            assertThat(enrolled.getPlatform()).isEqualTo(Platform.ANDROID);
            assertThat(enrolled.getOsVersion()).isEqualTo("14");
            assertThat(enrolled.getHardwareId()).isEqualTo(hardwareId);
            assertThat(enrolled.getOwnership()).isEqualTo(Ownership.CORPORATE);

            // The phone's agent checks in for itself: Android 12 is below the baseline's minimum of 14.
            given().auth()
                    .oauth2(stack.deviceToken(tenant, deviceId))
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "osVersion", "12",
                            "encrypted", true,
                            "passcodeSet", true,
                            "jailbroken", false,
                            "installedApps", List.of()))
                    .post(registry + "/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(200);

            ComplianceFailed failed =
                    verdicts.await(ComplianceFailed.class, e -> e.getSubjectId().equals(deviceId), EVENT_TIMEOUT);
            assertThat(failed.getTenantId()).isEqualTo(tenant);
            assertThat(failed.getUserId()).isEqualTo(userId);
            assertThat(failed.getManagementType()).isEqualTo(ManagementType.MANAGED);
            assertThat(failed.getRemediationEnabled()).isFalse();
            assertThat(failed.getViolations())
                    .extracting(RuleViolation::getRule, RuleViolation::getActual)
                    .contains(org.assertj.core.groups.Tuple.tuple("minimumOsVersion", "12"));

            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class,
                    e -> e.getUserId().equals(userId) && e.getSubjectId().equals(deviceId),
                    EVENT_TIMEOUT);
            assertThat(signOut.getTenantId()).isEqualTo(tenant);
            assertThat(signOut.getManagementType()).isEqualTo(ManagementType.MANAGED);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_DISABLED);
            assertThat(signOut.getUserMessage()).isNotBlank();

            // compliance-service commits the subject's state with its outbox, before the relay publishes: read once.
            Response subject = given().auth().oauth2(admin).get(compliance + "/api/v1/subjects/" + deviceId);
            assertThat(subject.statusCode()).isEqualTo(200);
            assertThat(subject.jsonPath().getString("subjectId")).isEqualTo(deviceId);
            assertThat(subject.jsonPath().getString("state")).isEqualTo("SIGNED_OUT");
            assertThat(subject.jsonPath().getString("userId")).isEqualTo(userId);
            assertThat(subject.jsonPath().getString("managementType")).isEqualTo("MANAGED");
            assertThat(subject.jsonPath().getList("violations.rule", String.class))
                    .contains("minimumOsVersion");

            // Another tenant's admin does not even learn that the subject exists.
            given().auth()
                    .oauth2(stack.adminToken("other-" + tenant))
                    .get(compliance + "/api/v1/subjects/" + deviceId)
                    .then()
                    .statusCode(404);
        }
    }
}
