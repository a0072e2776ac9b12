package dev.bulwark.assignment.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.assignment.assignment.ManagementModel;
import dev.bulwark.assignment.catalogue.AppDistribution;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IntentResolverTest {

    private static EffectiveIntent table(Set<Intent> user, Set<Intent> device) {
        return IntentResolver.combine(user, device, List.of());
    }

    private static Set<Intent> of(Intent... intents) {
        return intents.length == 0 ? EnumSet.noneOf(Intent.class) : EnumSet.of(intents[0], intents);
    }

    @Test
    void userRequiredPlusUserAvailableIsRequiredAndAvailable() {
        EffectiveIntent e = table(of(Intent.REQUIRED, Intent.AVAILABLE), of());
        assertThat(e.shown()).containsExactly(Intent.REQUIRED, Intent.AVAILABLE);
    }

    @Test
    void userRequiredPlusUserUninstallIsRequired() {
        assertThat(table(of(Intent.REQUIRED, Intent.UNINSTALL), of()).shown()).containsExactly(Intent.REQUIRED);
    }

    @Test
    void userAvailablePlusUserUninstallIsUninstall() {
        assertThat(table(of(Intent.AVAILABLE, Intent.UNINSTALL), of()).shown()).containsExactly(Intent.UNINSTALL);
    }

    @Test
    void deviceRequiredPlusDeviceUninstallIsRequired() {
        assertThat(table(of(), of(Intent.REQUIRED, Intent.UNINSTALL)).shown()).containsExactly(Intent.REQUIRED);
    }

    @Test
    void userAvailablePlusDeviceUninstallIsAvailable() {
        assertThat(table(of(Intent.AVAILABLE), of(Intent.UNINSTALL)).shown()).containsExactly(Intent.AVAILABLE);
    }

    @Test
    void noAssignmentMeansNoIntent() {
        assertThat(table(of(), of())).isEqualTo(EffectiveIntent.NONE);
    }

    private static AssignmentRule rule(String id, Intent intent, TargetLine... lines) {
        return new AssignmentRule(id, intent, List.of(lines));
    }

    @Test
    void exclusionWinsOnlyBetweenGroupsOfTheSameKind() {
        AssignmentRule required = rule(
                "a1",
                Intent.REQUIRED,
                TargetLine.include(TargetKind.USER_GROUP, "sales"),
                TargetLine.include(TargetKind.DEVICE_GROUP, "kiosks"),
                TargetLine.exclude(TargetKind.USER_GROUP, "contractors"));
        // excluded user group cancels the user-side inclusion...
        Audience userExcludedOnly = Audience.managedDevice(true, Set.of("sales", "contractors"), Set.of());
        assertThat(IntentResolver.resolve(List.of(required), userExcludedOnly)).isEqualTo(EffectiveIntent.NONE);
        // ...but not the device-side inclusion of the same assignment
        Audience alsoKiosk = Audience.managedDevice(true, Set.of("sales", "contractors"), Set.of("kiosks"));
        assertThat(IntentResolver.resolve(List.of(required), alsoKiosk).shown()).containsExactly(Intent.REQUIRED);
        // and an excluded device group cancels only device-side inclusion
        AssignmentRule devices = rule(
                "a2",
                Intent.REQUIRED,
                TargetLine.include(TargetKind.ALL_DEVICES, ""),
                TargetLine.exclude(TargetKind.DEVICE_GROUP, "kiosks"),
                TargetLine.include(TargetKind.USER_GROUP, "sales"));
        assertThat(IntentResolver.resolve(List.of(devices), Audience.managedDevice(true, Set.of(), Set.of("kiosks"))))
                .isEqualTo(EffectiveIntent.NONE);
        assertThat(IntentResolver.resolve(
                                List.of(devices), Audience.managedDevice(true, Set.of("sales"), Set.of("kiosks")))
                        .shown())
                .containsExactly(Intent.REQUIRED);
    }

    @Test
    void allLicensedUsersReachesOnlyLicensedUsers() {
        AssignmentRule all = rule("a", Intent.AVAILABLE, TargetLine.include(TargetKind.ALL_LICENSED_USERS, ""));
        assertThat(IntentResolver.resolve(List.of(all), Audience.unmanagedUser(true, Set.of()))
                        .offered())
                .isTrue();
        assertThat(IntentResolver.resolve(List.of(all), Audience.unmanagedUser(false, Set.of())))
                .isEqualTo(EffectiveIntent.NONE);
    }

    @Test
    void onUnmanagedAppInstancesOnlyAvailableIsEverEffective() {
        AssignmentRule required = rule("r", Intent.REQUIRED, TargetLine.include(TargetKind.USER_GROUP, "g"));
        AssignmentRule uninstall = rule("u", Intent.UNINSTALL, TargetLine.include(TargetKind.USER_GROUP, "h"));
        AssignmentRule available = rule("a", Intent.AVAILABLE, TargetLine.include(TargetKind.USER_GROUP, "h2"));
        Audience user = Audience.unmanagedUser(true, Set.of("g", "h", "h2"));
        assertThat(IntentResolver.resolve(List.of(required, uninstall), user)).isEqualTo(EffectiveIntent.NONE);
        EffectiveIntent mixed = IntentResolver.resolve(List.of(required, uninstall, available), user);
        assertThat(mixed.shown()).containsExactly(Intent.AVAILABLE);
        assertThat(mixed.assignmentIds()).containsExactly("a");
    }

    @Test
    void deviceTargetsNeverReachUnmanagedAppInstances() {
        AssignmentRule all = rule("a", Intent.AVAILABLE, TargetLine.include(TargetKind.ALL_DEVICES, ""));
        assertThat(IntentResolver.resolve(List.of(all), Audience.unmanagedUser(true, Set.of())))
                .isEqualTo(EffectiveIntent.NONE);
    }

    @Test
    void requiredOrUninstallThatCouldOnlyReachUnmanagedDevicesIsRefused() {
        List<TargetLine> users = List.of(TargetLine.include(TargetKind.ALL_LICENSED_USERS, ""));
        assertThat(ManagementModel.check(AppDistribution.STORE_LINK_ONLY, Intent.REQUIRED, users))
                .hasValueSatisfying(r -> assertThat(r.field()).isEqualTo("intent"));
        assertThat(ManagementModel.check(AppDistribution.STORE_LINK_ONLY, Intent.UNINSTALL, users))
                .isPresent();
        assertThat(ManagementModel.check(
                        AppDistribution.STORE_LINK_ONLY,
                        Intent.AVAILABLE,
                        List.of(TargetLine.include(TargetKind.DEVICE_GROUP, "d"))))
                .hasValueSatisfying(r -> assertThat(r.field()).isEqualTo("targets"));
        assertThat(ManagementModel.check(AppDistribution.STORE_LINK_ONLY, Intent.AVAILABLE, users))
                .isEmpty();
        assertThat(ManagementModel.check(AppDistribution.MANAGED, Intent.REQUIRED, users))
                .isEmpty();
    }
}
