package dev.bulwark.policy.devices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.events.RetirementReason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** How a poll's device events are sorted per tenant for the devices consumer, without I/O. */
class DeviceEventBatchTest {

    @Test
    void tenantsInIdOrderEachWithTheDevicesItsEventsTouchInIdOrder() {
        DeviceEventBatch batch = DeviceEventBatch.of(List.of(
                report("t2", "d9"),
                report("t1", "d5"),
                registered("t1", "r1"),
                report("t1", "d2"),
                enrolled("t1", "d7")));

        assertThat(batch.tenants())
                .extracting(DeviceEventBatch.OfTenant::tenantId)
                .containsExactly("t1", "t2");
        assertThat(batch.tenants().get(0).deviceIds()).containsExactly("d2", "d5", "d7");
        assertThat(batch.tenants().get(1).deviceIds()).containsExactly("d9");
    }

    @Test
    void everyEventOfADeviceEnrolledOrRetiredInTheBatchIsALifecycleEventInItsOrder() {
        SpecificRecord before = report("t", "d1");
        SpecificRecord enrolled = enrolled("t", "d1");
        SpecificRecord after = report("t", "d1");
        SpecificRecord retired = retired("t", "d3");
        DeviceStateReported other = report("t", "d2");
        DeviceStateReported otherAgain = report("t", "d2");
        AppInstanceRegistered registration = registered("t", "r1");

        DeviceEventBatch.OfTenant batch = DeviceEventBatch.of(
                        List.of(before, other, enrolled, registration, after, otherAgain, retired))
                .tenants()
                .get(0);

        assertThat(batch.lifecycle()).containsExactly(before, enrolled, after, retired);
        assertThat(batch.reports()).containsExactly(other, otherAgain);
        assertThat(batch.registrations()).containsExactly(registration);
        assertThat(batch.deviceIds()).containsExactly("d1", "d2", "d3");
    }

    private static DeviceStateReported report(String tenant, String device) {
        return DeviceStateReported.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setSubjectId(device)
                .setManagementType(ManagementType.MANAGED)
                .setUserId("u")
                .setPlatform(Platform.ANDROID)
                .setOsVersion("14")
                .setEncrypted(true)
                .setPasscodeSet(true)
                .setJailbroken(false)
                .setInstalledApps(List.of())
                .setAppId(null)
                .setAppVersion(null)
                .setPinSet(null)
                .setLastContactAt(Instant.now())
                .setConfigurationProfiles(List.of())
                .setSelectiveWipeResults(List.of())
                .build();
    }

    private static DeviceEnrolled enrolled(String tenant, String device) {
        return DeviceEnrolled.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setDeviceId(device)
                .setUserId("u")
                .setPlatform(Platform.ANDROID)
                .setOsVersion("14")
                .setModel(null)
                .setHardwareId("hw")
                .setOwnership(Ownership.UNKNOWN)
                .build();
    }

    private static DeviceRetired retired(String tenant, String device) {
        return DeviceRetired.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setDeviceId(device)
                .setUserId("u")
                .setReason(RetirementReason.ADMIN)
                .setComment(null)
                .build();
    }

    private static AppInstanceRegistered registered(String tenant, String registration) {
        return AppInstanceRegistered.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setRegistrationId(registration)
                .setUserId("u")
                .setAppId("com.contoso.mail")
                .setInstallationId("i")
                .setPlatform(Platform.ANDROID)
                .setOsVersion("14")
                .setAppVersion("1.0")
                .setDeviceId(null)
                .setManagementType(ManagementType.UNMANAGED)
                .build();
    }
}
