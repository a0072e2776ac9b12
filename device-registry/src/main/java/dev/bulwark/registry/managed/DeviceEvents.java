package dev.bulwark.registry.managed;

import dev.bulwark.contract.Envelope;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.InstalledApp;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.registry.shared.WipeOutcome;
import java.time.Instant;
import java.util.List;

/** Turns a managed device's changes into the contract's events (topic bulwark.devices.v1, key deviceId). */
final class DeviceEvents {

    private DeviceEvents() {}

    static DeviceEnrolled enrolled(ManagedDevice device) {
        return DeviceEnrolled.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(device.enrolledAt)
                .setTenantId(device.tenantId)
                .setDeviceId(device.deviceId)
                .setUserId(device.userId)
                .setPlatform(Platform.valueOf(device.platform.name()))
                .setOsVersion(device.osVersion)
                .setModel(device.model)
                .setHardwareId(device.hardwareId)
                .setOwnership(device.ownership.toEvent())
                .build();
    }

    static DeviceRetired retired(ManagedDevice device, RetirementReason reason, String comment) {
        return DeviceRetired.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(device.retiredAt)
                .setTenantId(device.tenantId)
                .setDeviceId(device.deviceId)
                .setUserId(device.userId)
                .setReason(reason)
                .setComment(comment)
                .build();
    }

    /**
     * A managed check-in: the subject is the device; the unmanaged-only fields (app, PIN) stay null. The profile and
     * wipe outcomes are this check-in's own (empty when it had none).
     */
    static DeviceStateReported stateReported(
            DeviceCheckInStore.LockedDevice device, List<ProfileStatusEntry> profiles, List<WipeOutcome> wipes) {
        List<InstalledApp> apps = device.installedApps.stream()
                .map(app -> InstalledApp.newBuilder()
                        .setAppId(app.appId())
                        .setVersion(app.version())
                        .build())
                .toList();
        return DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(device.stateReportedAt)
                .setTenantId(device.tenantId)
                .setSubjectId(device.deviceId)
                .setManagementType(ManagementType.MANAGED)
                .setUserId(device.userId)
                .setPlatform(Platform.valueOf(device.platform.name()))
                .setOsVersion(device.osVersion)
                .setEncrypted(device.encrypted)
                .setPasscodeSet(device.passcodeSet)
                .setJailbroken(device.jailbroken)
                .setInstalledApps(apps)
                .setAppId(null)
                .setAppVersion(null)
                .setPinSet(null)
                .setLastContactAt(device.lastContactAt)
                .setConfigurationProfiles(
                        profiles.stream().map(ProfileStatusEntry::toEvent).toList())
                .setSelectiveWipeResults(WipeOutcome.toEvents(wipes))
                .build();
    }

    static Instant now() {
        // Avro timestamp-millis keeps milliseconds; truncating here keeps the stored and published times equal.
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }
}
