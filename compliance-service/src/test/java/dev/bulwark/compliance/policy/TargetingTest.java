package dev.bulwark.compliance.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.events.TargetKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetingTest {

    private static PolicyTarget line(TargetKind kind, String group, boolean excluded) {
        return new PolicyTarget(kind, Optional.ofNullable(group), excluded);
    }

    @Test
    void onlyTargetedUsersAndGroupsAreSubjectToThePolicy() {
        List<PolicyTarget> targets = List.of(line(TargetKind.USER_GROUP, "sales", false));
        assertThat(Targeting.reachesUser(targets, Set.of("sales"))).isTrue();
        assertThat(Targeting.reachesUser(targets, Set.of("finance"))).isFalse();
        assertThat(Targeting.reachesUser(List.of(), Set.of("sales"))).isFalse();
    }

    @Test
    void exclusionWinsOverInclusionBetweenUserGroups() {
        List<PolicyTarget> targets =
                List.of(line(TargetKind.ALL_USERS, null, false), line(TargetKind.USER_GROUP, "contractors", true));
        assertThat(Targeting.reachesUser(targets, Set.of("sales"))).isTrue();
        assertThat(Targeting.reachesUser(targets, Set.of("sales", "contractors")))
                .isFalse();
    }

    @Test
    void deviceLinesNeitherAddNorRemoveAUserButAddTheirDevice() {
        List<PolicyTarget> targets =
                List.of(line(TargetKind.DEVICE_GROUP, "kiosks", false), line(TargetKind.DEVICE_GROUP, "lab", true));
        assertThat(Targeting.reachesUser(targets, Set.of("kiosks"))).isFalse();
        assertThat(Targeting.reachesDevice(targets, Set.of(), Set.of("kiosks"))).isTrue();
        assertThat(Targeting.reachesDevice(targets, Set.of(), Set.of("kiosks", "lab")))
                .isFalse();
        // an excluded device group does not remove a device its user's group brings in
        List<PolicyTarget> mixed =
                List.of(line(TargetKind.USER_GROUP, "sales", false), line(TargetKind.DEVICE_GROUP, "lab", true));
        assertThat(Targeting.reachesDevice(mixed, Set.of("sales"), Set.of("lab")))
                .isTrue();
    }
}
