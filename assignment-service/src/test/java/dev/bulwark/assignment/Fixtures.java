package dev.bulwark.assignment;

import static io.restassured.RestAssured.given;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.InstalledApp;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Platform;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** Publishes the directory and device events other services would, and drives the admin API, for the tests. */
public final class Fixtures {

    private final String tenant;
    private final String admin;

    public Fixtures(String tenant, String admin) {
        this.tenant = tenant;
        this.admin = admin;
    }

    public static String bootstrap() {
        return BulwarkInfra.kafkaBootstrap();
    }

    public void enroll(String deviceId, String userId) {
        enroll(deviceId, userId, Platform.ANDROID);
    }

    public void enroll(String deviceId, String userId, Platform platform) {
        TestEvents.publish(
                bootstrap(),
                Topics.DEVICES,
                deviceId,
                DeviceEnrolled.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setDeviceId(deviceId)
                        .setUserId(userId)
                        .setPlatform(platform)
                        .setOsVersion("15")
                        .setHardwareId("hw-" + deviceId)
                        .setModel(null)
                        .setOwnership(dev.bulwark.events.Ownership.CORPORATE)
                        .build());
    }

    public void registerUnmanaged(String registrationId, String userId, String appId) {
        TestEvents.publish(
                bootstrap(),
                Topics.DEVICES,
                registrationId,
                AppInstanceRegistered.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setRegistrationId(registrationId)
                        .setUserId(userId)
                        .setAppId(appId)
                        .setInstallationId("inst-" + registrationId)
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("15")
                        .setAppVersion("1.0.0")
                        .setManagementType(ManagementType.UNMANAGED)
                        .setDeviceId(null)
                        .build());
    }

    public void licence(String userId, boolean licensed) {
        TestEvents.publish(
                bootstrap(),
                Topics.DIRECTORY,
                userId,
                UserLicenseChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setUserId(userId)
                        .setLicensed(licensed)
                        .setSku(licensed ? "BULWARK_E3" : null)
                        .build());
    }

    public void join(GroupKind kind, String groupId, String memberId) {
        TestEvents.publish(
                bootstrap(),
                Topics.DIRECTORY,
                memberId,
                GroupMembershipChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setGroupId(groupId)
                        .setGroupKind(kind)
                        .setMemberId(memberId)
                        .setChange(MembershipChange.ADDED)
                        .build());
    }

    public void report(String deviceId, String userId, Map<String, String> installed) {
        report(deviceId, userId, ManagementType.MANAGED, installed);
    }

    /** Publishes a check-in of {@code subjectId} (a device or an app instance); returns its event id. */
    public String report(String subjectId, String userId, ManagementType type, Map<String, String> installed) {
        List<InstalledApp> apps = new ArrayList<>();
        installed.forEach((app, version) -> apps.add(
                InstalledApp.newBuilder().setAppId(app).setVersion(version).build()));
        String eventId = Envelope.newEventId();
        TestEvents.publish(
                bootstrap(),
                Topics.DEVICES,
                subjectId,
                DeviceStateReported.newBuilder()
                        .setEventId(eventId)
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setSubjectId(subjectId)
                        .setManagementType(type)
                        .setUserId(userId)
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("15")
                        .setInstalledApps(apps)
                        .setEncrypted(true)
                        .setPasscodeSet(true)
                        .setJailbroken(false)
                        .setAppId(null)
                        .setAppVersion(null)
                        .setPinSet(null)
                        .setLastContactAt(Instant.now())
                        .build());
        return eventId;
    }

    /** Waits until the service has the subject in its projection. */
    public void awaitSubject(String id) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(admin)
                                .get("/api/v1/devices/" + id + "/apps")
                                .statusCode()
                        == 200);
    }

    public Map<String, Object> app(String appId, String distribution) {
        Map<String, Object> app = new HashMap<>();
        app.put("appId", appId);
        app.put("name", "App " + appId);
        app.put("platform", "ANDROID");
        app.put("storeRef", "com.contoso." + appId);
        app.put("protectedApp", true);
        app.put("version", "1.0.0");
        app.put("description", "The " + appId + " app.");
        app.put("distribution", distribution);
        return app;
    }

    public void registerApp(String appId) {
        registerApp(appId, "MANAGED");
    }

    public void registerApp(String appId, String distribution) {
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app(appId, distribution))
                .post("/api/v1/apps")
                .then()
                .statusCode(201);
    }

    public static Map<String, Object> target(String kind, String groupId, boolean excluded) {
        Map<String, Object> target = new HashMap<>();
        target.put("kind", kind);
        if (groupId != null) {
            target.put("groupId", groupId);
        }
        target.put("excluded", excluded);
        return target;
    }

    public static Map<String, Object> assignment(String intent, Map<?, ?>... targets) {
        return Map.of("intent", intent, "targets", List.of(targets));
    }

    /** Creates the assignment and returns its id. */
    public String assign(String appId, String intent, Map<?, ?>... targets) {
        return given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(assignment(intent, targets))
                .post("/api/v1/apps/" + appId + "/assignments")
                .then()
                .statusCode(201)
                .extract()
                .path("assignmentId");
    }
}
