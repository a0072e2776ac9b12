package dev.bulwark.registry.unmanaged;

import dev.bulwark.contract.Envelope;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.registry.shared.WipeOutcome;
import java.time.Instant;
import java.util.List;

/** Turns an app instance's changes into the contract's events (topic bulwark.devices.v1, key registrationId). */
final class AppInstanceEvents {

    private AppInstanceEvents() {}

    static AppInstanceRegistered registered(AppInstance instance) {
        return AppInstanceRegistered.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(instance.registeredAt)
                .setTenantId(instance.tenantId)
                .setRegistrationId(instance.registrationId)
                .setUserId(instance.userId)
                .setAppId(instance.appId)
                .setInstallationId(instance.installationId)
                .setPlatform(Platform.valueOf(instance.platform.name()))
                .setOsVersion(instance.osVersion)
                .setAppVersion(instance.appVersion)
                .setDeviceId(instance.deviceId)
                .setManagementType(instance.managementType.toEvent())
                .build();
    }

    /**
     * An app instance's check-in. Its subject is always the registrationId, so it is UNMANAGED in the contract's sense
     * (subjectId = registrationId) even when the app runs on an enrolled device, whose own check-in reports the device.
     * Configuration profiles are a managed device's, so that list is always empty here.
     */
    static DeviceStateReported stateReported(AppCheckInStore.LockedInstance instance, List<WipeOutcome> wipes) {
        return DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(instance.stateReportedAt)
                .setTenantId(instance.tenantId)
                .setSubjectId(instance.registrationId)
                .setManagementType(ManagementType.UNMANAGED)
                .setUserId(instance.userId)
                .setPlatform(Platform.valueOf(instance.platform.name()))
                .setOsVersion(instance.osVersion)
                .setEncrypted(null)
                .setPasscodeSet(null)
                .setJailbroken(instance.jailbroken)
                .setInstalledApps(List.of())
                .setAppId(instance.appId)
                .setAppVersion(instance.appVersion)
                .setPinSet(instance.pinSet)
                .setLastContactAt(instance.lastContactAt)
                .setConfigurationProfiles(List.of())
                .setSelectiveWipeResults(WipeOutcome.toEvents(wipes))
                .build();
    }

    static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }
}
