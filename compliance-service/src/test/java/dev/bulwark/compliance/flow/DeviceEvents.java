package dev.bulwark.compliance.flow;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.ConfigurationProfileStatus;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.events.SelectiveWipeResult;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** Builds and publishes device-registry's events for one managed device, as device-registry would. */
final class DeviceEvents {

    final String tenantId;
    final String deviceId;
    final String userId;

    private DeviceEvents(String tenantId, String deviceId, String userId) {
        this.tenantId = tenantId;
        this.deviceId = deviceId;
        this.userId = userId;
    }

    /** A device of its own tenant and user, so tests never see each other's subjects or events. */
    static DeviceEvents newDevice() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return new DeviceEvents("tenant-" + suffix, "device-" + suffix, "user-" + suffix);
    }

    /** A fresh device of an existing tenant's user. */
    static DeviceEvents of(String tenantId, String userId) {
        return new DeviceEvents(
                tenantId, "device-" + UUID.randomUUID().toString().substring(0, 8), userId);
    }

    DeviceEnrolled enrolled(Platform platform, String osVersion) {
        return DeviceEnrolled.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenantId)
                .setDeviceId(deviceId)
                .setUserId(userId)
                .setPlatform(platform)
                .setOsVersion(osVersion)
                .setHardwareId("hw-" + deviceId)
                .setOwnership(Ownership.CORPORATE)
                .build();
    }

    DeviceStateReported report(Platform platform, String osVersion, boolean encrypted, boolean jailbroken) {
        return report(platform, osVersion, encrypted, jailbroken, List.of(), List.of());
    }

    /** A check-in with the outcome of configuration profiles and of selective wipes. */
    DeviceStateReported report(
            Platform platform,
            String osVersion,
            boolean encrypted,
            boolean jailbroken,
            List<ConfigurationProfileStatus> profiles,
            List<SelectiveWipeResult> wipes) {
        Instant now = Instant.now();
        return DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(tenantId)
                .setSubjectId(deviceId)
                .setManagementType(ManagementType.MANAGED)
                .setUserId(userId)
                .setPlatform(platform)
                .setOsVersion(osVersion)
                .setEncrypted(encrypted)
                .setPasscodeSet(true)
                .setJailbroken(jailbroken)
                .setLastContactAt(now)
                .setInstalledApps(List.of())
                .setAppId(null)
                .setAppVersion(null)
                .setPinSet(null)
                .setConfigurationProfiles(profiles)
                .setSelectiveWipeResults(wipes)
                .build();
    }

    DeviceRetired retired() {
        return DeviceRetired.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenantId)
                .setDeviceId(deviceId)
                .setUserId(userId)
                .setReason(RetirementReason.ADMIN)
                .build();
    }

    /** An Android 13, rooted, unencrypted check-in: breaks all three baseline rules. */
    DeviceStateReported failingReport() {
        return report(Platform.ANDROID, "13", false, true);
    }

    DeviceStateReported passingReport() {
        return report(Platform.ANDROID, "14.1", true, false);
    }

    static ConfigurationProfileStatus profile(String profileId, ConfigurationProfileState state, String reason) {
        return ConfigurationProfileStatus.newBuilder()
                .setProfileId(profileId)
                .setVersion(1)
                .setState(state)
                .setReason(reason)
                .build();
    }

    static SelectiveWipeResult wipe(String appId, boolean succeeded, String reason) {
        return SelectiveWipeResult.newBuilder()
                .setAppId(appId)
                .setSucceeded(succeeded)
                .setReason(reason)
                .build();
    }

    void publish(SpecificRecord event) {
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES, deviceId, event);
    }
}
