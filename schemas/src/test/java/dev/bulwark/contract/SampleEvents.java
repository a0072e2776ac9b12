package dev.bulwark.contract;

import dev.bulwark.events.AppInstallRequested;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.AppUninstallRequested;
import dev.bulwark.events.AppUpdateRequested;
import dev.bulwark.events.AssignmentChanged;
import dev.bulwark.events.AssignmentIntent;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.ConfigurationProfileApplyRequested;
import dev.bulwark.events.ConfigurationProfileRemoveRequested;
import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.ConfigurationProfileStatus;
import dev.bulwark.events.ConfigurationProfileType;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.InstalledApp;
import dev.bulwark.events.ManagedRemediationAction;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.ProfileDeliveryReason;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SelectiveWipeResult;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.Target;
import dev.bulwark.events.TargetKind;
import dev.bulwark.events.UnmanagedRemediationAction;
import dev.bulwark.events.UnmanagedRemediationRequested;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.events.UserLicenseChanged;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * One event of every type of the catalogue, for tests. {@link #full()} sets every optional field and avoids default
 * values, so a field that does not survive a round trip shows; {@link #minimal()} sets only what is required.
 */
final class SampleEvents {

    static final String TENANT = "tenant-contoso";
    static final Instant OCCURRED_AT = Instant.parse("2026-03-01T10:15:30.123Z");
    static final Instant DEADLINE = Instant.parse("2026-03-04T10:15:30.456Z");

    private SampleEvents() {}

    static List<SpecificRecord> full() {
        RuleViolation violation = RuleViolation.newBuilder()
                .setRule("minimumOsVersion")
                .setExpected("17.0")
                .setActual("16.4")
                .setPolicyId("policy-ios-1")
                .build();
        List<Target> targets = List.of(
                Target.newBuilder()
                        .setKind(TargetKind.USER_GROUP)
                        .setGroupId("group-sales")
                        .setExcluded(false)
                        .build(),
                Target.newBuilder()
                        .setKind(TargetKind.DEVICE_GROUP)
                        .setGroupId("group-kiosks")
                        .setExcluded(true)
                        .build(),
                Target.newBuilder().setKind(TargetKind.ALL_USERS).build());
        return List.of(
                DeviceEnrolled.newBuilder()
                        .setEventId(id(1))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("device-1")
                        .setUserId("user-alice")
                        .setPlatform(Platform.IOS)
                        .setOsVersion("17.4")
                        .setModel("iPhone 15")
                        .setHardwareId("SN-0001")
                        .setOwnership(Ownership.CORPORATE)
                        .build(),
                DeviceRetired.newBuilder()
                        .setEventId(id(2))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("device-1")
                        .setUserId("user-alice")
                        .setReason(RetirementReason.NON_COMPLIANT)
                        .setComment("lost phone")
                        .build(),
                AppInstanceRegistered.newBuilder()
                        .setEventId(id(3))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setRegistrationId("reg-1")
                        .setUserId("user-bob")
                        .setAppId("app-outlook")
                        .setInstallationId("install-9")
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("14")
                        .setAppVersion("4.2.1")
                        .setDeviceId("device-2")
                        .setManagementType(ManagementType.MANAGED)
                        .build(),
                DeviceStateReported.newBuilder()
                        .setEventId(id(4))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setSubjectId("device-1")
                        .setManagementType(ManagementType.MANAGED)
                        .setUserId("user-alice")
                        .setPlatform(Platform.IOS)
                        .setOsVersion("16.4")
                        .setEncrypted(true)
                        .setPasscodeSet(false)
                        .setJailbroken(true)
                        .setInstalledApps(List.of(InstalledApp.newBuilder()
                                .setAppId("app-teams")
                                .setVersion("6.1")
                                .build()))
                        .setAppId("app-outlook")
                        .setAppVersion("4.2.1")
                        .setPinSet(true)
                        .setLastContactAt(OCCURRED_AT.minusSeconds(60))
                        .setConfigurationProfiles(List.of(ConfigurationProfileStatus.newBuilder()
                                .setProfileId("profile-wifi")
                                .setVersion(3)
                                .setState(ConfigurationProfileState.FAILED)
                                .setReason("certificate cert-1 not found")
                                .build()))
                        .setSelectiveWipeResults(List.of(SelectiveWipeResult.newBuilder()
                                .setAppId("app-outlook")
                                .setSucceeded(false)
                                .setReason("app was not running")
                                .build()))
                        .build(),
                UserLicenseChanged.newBuilder()
                        .setEventId(id(5))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setUserId("user-alice")
                        .setLicensed(true)
                        .setSku("BULWARK_E3")
                        .build(),
                GroupMembershipChanged.newBuilder()
                        .setEventId(id(6))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setGroupId("group-kiosks")
                        .setGroupKind(GroupKind.DEVICE)
                        .setMemberId("device-1")
                        .setChange(MembershipChange.REMOVED)
                        .build(),
                AssignmentChanged.newBuilder()
                        .setEventId(id(7))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setAppId("app-teams")
                        .setAssignmentId("assignment-1")
                        .setChange(ChangeKind.UPDATED)
                        .setVersion(3L)
                        .setIntent(AssignmentIntent.REQUIRED)
                        .setTargets(targets)
                        .build(),
                AppInstallRequested.newBuilder()
                        .setEventId(id(8))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("device-1")
                        .setUserId("user-alice")
                        .setAppId("app-teams")
                        .setVersion("6.1")
                        .setCommandId("cmd-install-1")
                        .setReason("required by assignment-1")
                        .build(),
                AppUninstallRequested.newBuilder()
                        .setEventId(id(9))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("device-1")
                        .setUserId("user-alice")
                        .setAppId("app-games")
                        .setVersion("1.0")
                        .setCommandId("cmd-uninstall-1")
                        .setReason("uninstall by assignment-2")
                        .build(),
                AppUpdateRequested.newBuilder()
                        .setEventId(id(10))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("device-1")
                        .setUserId("user-alice")
                        .setAppId("app-teams")
                        .setVersion("6.2")
                        .setCommandId("cmd-update-1")
                        .setReason("new version 6.2")
                        .build(),
                ManagedRemediationRequested.newBuilder()
                        .setEventId(id(11))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("device-1")
                        .setUserId("user-alice")
                        .setCommandId("attempt-1")
                        .setAction(ManagedRemediationAction.INSTALL_REQUIRED_APP)
                        .setAppId("app-defender")
                        .setMessage("Install Defender to keep access to work data.")
                        .setDeadline(DEADLINE)
                        .build(),
                UnmanagedRemediationRequested.newBuilder()
                        .setEventId(id(12))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setRegistrationId("reg-1")
                        .setUserId("user-bob")
                        .setAppId("app-outlook")
                        .setCommandId("attempt-2")
                        .setAction(UnmanagedRemediationAction.UPDATE_APP)
                        .setMinimumAppVersion("4.3.0")
                        .setMessage("Update Outlook to keep access to work data.")
                        .setDeadline(DEADLINE)
                        .build(),
                PolicyChanged.newBuilder()
                        .setEventId(id(13))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setPolicyId("policy-ios-1")
                        .setPolicyKind(PolicyKind.APP_PROTECTION)
                        .setChange(ChangeKind.CREATED)
                        .setVersion(1L)
                        .setName("iOS level 3")
                        .setPlatform(Platform.IOS)
                        .setTargets(targets)
                        .setSettingsJson("{\"pinRequired\":true,\"minimumPinLength\":6}")
                        .build(),
                ComplianceFailed.newBuilder()
                        .setEventId(id(14))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setSubjectId("device-1")
                        .setManagementType(ManagementType.MANAGED)
                        .setUserId("user-alice")
                        .setViolations(List.of(violation))
                        .setRemediationEnabled(true)
                        .setRemediationDeadline(DEADLINE)
                        .setCauseEventId(id(4))
                        .build(),
                RemediationAttempted.newBuilder()
                        .setEventId(id(15))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setSubjectId("reg-1")
                        .setManagementType(ManagementType.UNMANAGED)
                        .setUserId("user-bob")
                        .setAttemptId("attempt-2")
                        .setAction("UPDATE_APP")
                        .setStatus(RemediationStatus.FAILED)
                        .setDeadline(DEADLINE)
                        .setDetail("app did not check in")
                        .build(),
                ComplianceRestored.newBuilder()
                        .setEventId(id(16))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setSubjectId("device-1")
                        .setManagementType(ManagementType.MANAGED)
                        .setUserId("user-alice")
                        .setCauseEventId(id(4))
                        .build(),
                SignOutRequired.newBuilder()
                        .setEventId(id(17))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setUserId("user-bob")
                        .setSubjectId("reg-1")
                        .setManagementType(ManagementType.UNMANAGED)
                        .setAppIds(List.of("app-outlook", "app-teams"))
                        .setReason(SignOutReason.REMEDIATION_FAILED)
                        .setSelectiveWipe(true)
                        .setUserMessage("Your organization requires you to sign back in.")
                        .setViolations(List.of(violation))
                        .setCauseEventId(id(15))
                        .build(),
                UserAccountChanged.newBuilder()
                        .setEventId(id(18))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setUserId("user-alice")
                        .setEnabled(false)
                        .build(),
                ConfigurationProfileApplyRequested.newBuilder()
                        .setEventId(id(19))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("device-1")
                        .setUserId("user-alice")
                        .setCommandId("cmd-profile-1")
                        .setProfileId("profile-wifi")
                        .setProfileVersion(3)
                        .setProfileType(ConfigurationProfileType.WIFI)
                        .setPlatform(Platform.IOS)
                        .setName("Office Wi-Fi")
                        .setSettingsJson(
                                "{\"ssid\":\"contoso\",\"security\":\"WPA2_ENTERPRISE\",\"certificateRef\":\"cert-1\"}")
                        .setReason(ProfileDeliveryReason.NEW_VERSION)
                        .setCauseEventId(id(8))
                        .build(),
                ConfigurationProfileRemoveRequested.newBuilder()
                        .setEventId(id(20))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("device-1")
                        .setUserId("user-alice")
                        .setCommandId("cmd-profile-2")
                        .setProfileId("profile-vpn")
                        .setProfileType(ConfigurationProfileType.VPN)
                        .setReason("device left group grp-vpn")
                        .setCauseEventId(id(6))
                        .build());
    }

    static List<SpecificRecord> minimal() {
        return List.of(
                DeviceEnrolled.newBuilder()
                        .setEventId(id(101))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("d")
                        .setUserId("u")
                        .setPlatform(Platform.UNKNOWN)
                        .setOsVersion("")
                        .setHardwareId("h")
                        .build(),
                DeviceRetired.newBuilder()
                        .setEventId(id(102))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("d")
                        .setUserId("u")
                        .setReason(RetirementReason.ADMIN)
                        .build(),
                AppInstanceRegistered.newBuilder()
                        .setEventId(id(103))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setRegistrationId("r")
                        .setUserId("u")
                        .setAppId("a")
                        .setInstallationId("i")
                        .setPlatform(Platform.WINDOWS)
                        .setOsVersion("11")
                        .setAppVersion("1")
                        .setManagementType(ManagementType.UNMANAGED)
                        .build(),
                DeviceStateReported.newBuilder()
                        .setEventId(id(104))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setSubjectId("r")
                        .setManagementType(ManagementType.UNMANAGED)
                        .setUserId("u")
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("14")
                        .setLastContactAt(OCCURRED_AT)
                        .build(),
                UserLicenseChanged.newBuilder()
                        .setEventId(id(105))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setUserId("u")
                        .setLicensed(false)
                        .build(),
                GroupMembershipChanged.newBuilder()
                        .setEventId(id(106))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setGroupId("g")
                        .setGroupKind(GroupKind.USER)
                        .setMemberId("u")
                        .setChange(MembershipChange.ADDED)
                        .build(),
                AssignmentChanged.newBuilder()
                        .setEventId(id(107))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setAppId("a")
                        .setAssignmentId("as")
                        .setChange(ChangeKind.DELETED)
                        .setVersion(0L)
                        .setIntent(AssignmentIntent.AVAILABLE)
                        .build(),
                AppInstallRequested.newBuilder()
                        .setEventId(id(108))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("d")
                        .setUserId("u")
                        .setAppId("a")
                        .setVersion("1")
                        .setCommandId("c")
                        .build(),
                AppUninstallRequested.newBuilder()
                        .setEventId(id(109))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("d")
                        .setUserId("u")
                        .setAppId("a")
                        .setVersion("1")
                        .setCommandId("c")
                        .build(),
                AppUpdateRequested.newBuilder()
                        .setEventId(id(110))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("d")
                        .setUserId("u")
                        .setAppId("a")
                        .setVersion("2")
                        .setCommandId("c")
                        .build(),
                ManagedRemediationRequested.newBuilder()
                        .setEventId(id(111))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("d")
                        .setUserId("u")
                        .setCommandId("c")
                        .setAction(ManagedRemediationAction.LOCK)
                        .setMessage("")
                        .build(),
                UnmanagedRemediationRequested.newBuilder()
                        .setEventId(id(112))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setRegistrationId("r")
                        .setUserId("u")
                        .setAppId("a")
                        .setCommandId("c")
                        .setAction(UnmanagedRemediationAction.CHECK_IN)
                        .setMessage("")
                        .build(),
                PolicyChanged.newBuilder()
                        .setEventId(id(113))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setPolicyId("p")
                        .setPolicyKind(PolicyKind.CONDITIONAL_ACCESS)
                        .setChange(ChangeKind.DELETED)
                        .setVersion(2L)
                        .setSettingsJson("{}")
                        .build(),
                ComplianceFailed.newBuilder()
                        .setEventId(id(114))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setSubjectId("r")
                        .setManagementType(ManagementType.UNMANAGED)
                        .setUserId("u")
                        .setViolations(List.of())
                        .setRemediationEnabled(false)
                        .build(),
                RemediationAttempted.newBuilder()
                        .setEventId(id(115))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setSubjectId("d")
                        .setManagementType(ManagementType.MANAGED)
                        .setUserId("u")
                        .setAttemptId("c")
                        .setAction("NOTIFY")
                        .setStatus(RemediationStatus.PENDING)
                        .build(),
                ComplianceRestored.newBuilder()
                        .setEventId(id(116))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setSubjectId("d")
                        .setManagementType(ManagementType.MANAGED)
                        .setUserId("u")
                        .build(),
                SignOutRequired.newBuilder()
                        .setEventId(id(117))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setUserId("u")
                        .setSubjectId("d")
                        .setManagementType(ManagementType.MANAGED)
                        .setReason(SignOutReason.ADMIN)
                        .setUserMessage("")
                        .build(),
                UserAccountChanged.newBuilder()
                        .setEventId(id(118))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setUserId("u")
                        .setEnabled(true)
                        .build(),
                ConfigurationProfileApplyRequested.newBuilder()
                        .setEventId(id(119))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("d")
                        .setUserId("u")
                        .setCommandId("c")
                        .setProfileId("p")
                        .setProfileVersion(1)
                        .setProfileType(ConfigurationProfileType.PASSWORD)
                        .setPlatform(Platform.ANDROID)
                        .setSettingsJson("{}")
                        .setReason(ProfileDeliveryReason.UNKNOWN)
                        .build(),
                ConfigurationProfileRemoveRequested.newBuilder()
                        .setEventId(id(120))
                        .setOccurredAt(OCCURRED_AT)
                        .setTenantId(TENANT)
                        .setDeviceId("d")
                        .setUserId("u")
                        .setCommandId("c")
                        .setProfileId("p")
                        .setProfileType(ConfigurationProfileType.PASSWORD)
                        .build());
    }

    /** The sample of one type, from {@link #full()}. */
    static <T extends SpecificRecord> T full(Class<T> type) {
        return type.cast(byType().get(type));
    }

    private static java.util.Map<Class<?>, SpecificRecord> byType() {
        return full().stream().collect(Collectors.toMap(Object::getClass, Function.identity()));
    }

    /** A fixed, readable UUID so failures are easy to match up. */
    static String id(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }
}
