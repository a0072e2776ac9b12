package dev.bulwark.policy.flow;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.ConfigurationProfileStatus;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.ManagedRemediationAction;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** device-registry's and compliance-service's events for the configuration profile tests, and the profile REST calls. */
final class ProfileFixtures {

    final Fixtures f;

    ProfileFixtures(Fixtures f) {
        this.f = f;
    }

    void enroll(String deviceId, String userId, Platform platform) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(), Topics.DEVICES, deviceId, enrollment(deviceId, userId, platform));
    }

    void retire(String deviceId, String userId) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DEVICES,
                deviceId,
                DeviceRetired.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(f.tenant)
                        .setDeviceId(deviceId)
                        .setUserId(userId)
                        .setReason(RetirementReason.ADMIN)
                        .setComment(null)
                        .build());
    }

    void registerAppInstance(String registrationId, String userId) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DEVICES,
                registrationId,
                AppInstanceRegistered.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(f.tenant)
                        .setRegistrationId(registrationId)
                        .setUserId(userId)
                        .setAppId("com.contoso.mail")
                        .setInstallationId("inst-" + registrationId)
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("14")
                        .setAppVersion("1.0")
                        .setDeviceId(null)
                        .setManagementType(ManagementType.UNMANAGED)
                        .build());
    }

    void deviceGroup(String groupId, String deviceId, MembershipChange change) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DIRECTORY,
                deviceId,
                GroupMembershipChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(f.tenant)
                        .setGroupId(groupId)
                        .setGroupKind(GroupKind.DEVICE)
                        .setMemberId(deviceId)
                        .setChange(change)
                        .build());
    }

    /** A managed device's check-in reporting these profile outcomes. */
    void report(String deviceId, String userId, List<ConfigurationProfileStatus> profiles) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DEVICES,
                deviceId,
                checkIn(deviceId, userId, Instant.now(), profiles));
    }

    /** The DeviceEnrolled of a device of this tenant, as device-registry writes it. */
    DeviceEnrolled enrollment(String deviceId, String userId, Platform platform) {
        return DeviceEnrolled.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(f.tenant)
                .setDeviceId(deviceId)
                .setUserId(userId)
                .setPlatform(platform)
                .setOsVersion("14")
                .setModel(null)
                .setHardwareId("hw-" + deviceId)
                .setOwnership(Ownership.UNKNOWN)
                .build();
    }

    /** A managed device's check-in of this tenant made at {@code at}, reporting these profile outcomes. */
    DeviceStateReported checkIn(String deviceId, String userId, Instant at, List<ConfigurationProfileStatus> profiles) {
        return DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(at)
                .setTenantId(f.tenant)
                .setSubjectId(deviceId)
                .setManagementType(ManagementType.MANAGED)
                .setUserId(userId)
                .setPlatform(Platform.ANDROID)
                .setOsVersion("14")
                .setEncrypted(true)
                .setPasscodeSet(true)
                .setJailbroken(false)
                .setInstalledApps(List.of())
                .setAppId(null)
                .setAppVersion(null)
                .setPinSet(null)
                .setLastContactAt(at)
                .setConfigurationProfiles(profiles)
                .setSelectiveWipeResults(List.of())
                .build();
    }

    static ConfigurationProfileStatus outcome(
            String profileId, long version, ConfigurationProfileState state, String reason) {
        return ConfigurationProfileStatus.newBuilder()
                .setProfileId(profileId)
                .setVersion(version)
                .setState(state)
                .setReason(reason)
                .build();
    }

    ManagedRemediationRequested repush(String deviceId, String userId, List<String> profileIds) {
        ManagedRemediationRequested event = ManagedRemediationRequested.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(f.tenant)
                .setDeviceId(deviceId)
                .setUserId(userId)
                .setCommandId("attempt-" + Envelope.newEventId())
                .setAction(ManagedRemediationAction.REPUSH_CONFIGURATION)
                .setAppId(null)
                .setMessage("Your device's configuration is being sent again.")
                .setProfileIds(List.copyOf(profileIds))
                .setDeadline(null)
                .build();
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS, deviceId, event);
        return event;
    }

    Response post(String json) {
        return given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(json)
                .post("/api/v1/configuration-profiles");
    }

    Response put(String id, String json) {
        return given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(json)
                .put("/api/v1/configuration-profiles/" + id);
    }

    /** Creates a profile once the groups and devices it names are known from events; returns its id. */
    String create(String json) {
        Response[] last = new Response[1];
        await("profile accepted once its groups and devices are known")
                .atMost(Fixtures.EVENT_TIMEOUT)
                .until(() -> {
                    last[0] = post(json);
                    return last[0].statusCode() != 422
                            || !(last[0].asString().contains("unknown group")
                                    || last[0].asString().contains("not an enrolled managed device"));
                });
        last[0].then().statusCode(201);
        return last[0].path("id");
    }

    Response status(String profileId) {
        return given().auth().oauth2(f.admin()).get("/api/v1/configuration-profiles/" + profileId + "/status");
    }

    Response ofDevice(String deviceId) {
        return given().auth().oauth2(f.admin()).get("/api/v1/devices/" + deviceId + "/configuration-profiles");
    }

    /** Waits until the device's enrollment has been consumed (its profile view answers). */
    void awaitDeviceKnown(String deviceId) {
        await(deviceId + " enrolled")
                .atMost(Fixtures.EVENT_TIMEOUT)
                .until(() -> ofDevice(deviceId).statusCode() == 200);
    }

    /** Waits until the app instance's registration has been consumed (naming it is refused as an app instance). */
    void awaitAppInstanceKnown(String registrationId) {
        await(registrationId + " registered").atMost(Fixtures.EVENT_TIMEOUT).until(() -> post(profile(
                        "probe",
                        "ANDROID",
                        "WIFI",
                        "{\"ssid\": \"x\", \"security\": \"OPEN\"}",
                        "[" + device(registrationId) + "]"))
                .asString()
                .contains("app instance"));
    }

    /** Waits until the device's row for the profile has {@code status}; returns the device view. */
    Response awaitStatus(String deviceId, String profileId, String status) {
        return awaitStatus(deviceId, profileId, status, null);
    }

    /**
     * As {@link #awaitStatus(String, String, String)}, and until the profile's reason contains {@code reasonContains}
     * (when not null): a status the device already had before the awaited report is not taken for its effect.
     */
    Response awaitStatus(String deviceId, String profileId, String status, String reasonContains) {
        Response[] last = new Response[1];
        await(deviceId + " / " + profileId + " " + status)
                .atMost(Fixtures.EVENT_TIMEOUT)
                .until(() -> {
                    last[0] = ofDevice(deviceId);
                    if (last[0].statusCode() != 200) {
                        return false;
                    }
                    List<String> statuses =
                            last[0].path("profiles.findAll { it.profileId == '" + profileId + "' }.status");
                    if (statuses == null || statuses.stream().noneMatch(s -> Objects.equals(s, status))) {
                        return false;
                    }
                    if (reasonContains == null) {
                        return true;
                    }
                    List<String> reasons =
                            last[0].path("profiles.findAll { it.profileId == '" + profileId + "' }.reason");
                    return reasons != null && reasons.stream().anyMatch(r -> r != null && r.contains(reasonContains));
                });
        return last[0];
    }

    static String profile(String name, String platform, String type, String settings, String targets) {
        return """
                {"name": "%s", "platform": "%s", "type": "%s", "settings": %s, "targets": %s}
                """
                .formatted(name, platform, type, settings, targets);
    }

    static String userGroup(String groupId) {
        return "{\"kind\": \"USER_GROUP\", \"groupId\": \"" + groupId + "\"}";
    }

    static String deviceGroupTarget(String groupId, boolean excluded) {
        return "{\"kind\": \"DEVICE_GROUP\", \"groupId\": \"" + groupId + "\", \"excluded\": " + excluded + "}";
    }

    static String device(String deviceId) {
        return "{\"kind\": \"DEVICE\", \"deviceId\": \"" + deviceId + "\"}";
    }

    static String allDevices() {
        return "{\"kind\": \"ALL_DEVICES\"}";
    }
}
