package dev.bulwark.compliance.flow;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.events.SelectiveWipeResult;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** Builds and publishes device-registry's events for one protected app account on an unmanaged device. */
final class AppInstanceEvents {

    static final String MAIL = "com.contoso.mail";

    final String tenantId;
    final String registrationId;
    final String userId;
    final String appId;
    final String installationId;

    private AppInstanceEvents(String tenantId, String userId, String appId, String installationId) {
        this.tenantId = tenantId;
        this.userId = userId;
        this.appId = appId;
        this.installationId = installationId;
        this.registrationId = "reg-" + userId + "-" + installationId;
    }

    /** The mail app of a fresh user in a fresh tenant, on a fresh installation. */
    static AppInstanceEvents newMailApp() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return new AppInstanceEvents("tenant-" + suffix, "user-" + suffix, MAIL, "install-" + suffix);
    }

    /** Another account of the same tenant signed in to the same app installation. */
    AppInstanceEvents otherAccount(String otherUserId) {
        return new AppInstanceEvents(tenantId, otherUserId, appId, installationId);
    }

    /** Another app of the same tenant and user, on its own installation. */
    AppInstanceEvents anotherApp(String otherAppId) {
        return new AppInstanceEvents(
                tenantId,
                userId,
                otherAppId,
                "install-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** This app on another installation, signed in with {@code other}'s account (same tenant and user). */
    AppInstanceEvents sameUserAs(AppInstanceEvents other) {
        return new AppInstanceEvents(other.tenantId, other.userId, appId, installationId);
    }

    AppInstanceRegistered registered(String appVersion) {
        return AppInstanceRegistered.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenantId)
                .setRegistrationId(registrationId)
                .setUserId(userId)
                .setAppId(appId)
                .setInstallationId(installationId)
                .setPlatform(Platform.IOS)
                .setOsVersion("17.5")
                .setAppVersion(appVersion)
                .setDeviceId(null)
                .setManagementType(ManagementType.UNMANAGED)
                .build();
    }

    DeviceStateReported report(String appVersion, boolean pinSet, boolean jailbroken) {
        return report(appVersion, pinSet, jailbroken, List.of());
    }

    /** A check-in that reports the outcome of selective wipes. */
    DeviceStateReported report(String appVersion, boolean pinSet, boolean jailbroken, List<SelectiveWipeResult> wipes) {
        Instant now = Instant.now();
        return DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(tenantId)
                .setSubjectId(registrationId)
                .setManagementType(ManagementType.UNMANAGED)
                .setUserId(userId)
                .setPlatform(Platform.IOS)
                .setOsVersion("17.5")
                .setJailbroken(jailbroken)
                .setAppId(appId)
                .setAppVersion(appVersion)
                .setPinSet(pinSet)
                .setLastContactAt(now)
                .setEncrypted(null)
                .setPasscodeSet(null)
                .setInstalledApps(List.of())
                .setConfigurationProfiles(List.of())
                .setSelectiveWipeResults(wipes)
                .build();
    }

    void publish(SpecificRecord event) {
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES, registrationId, event);
    }
}
