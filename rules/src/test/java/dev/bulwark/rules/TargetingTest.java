package dev.bulwark.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.rules.Targeting.Reach;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetingTest {

    private record Line(TargetScope targetScope, String targetGroup, boolean excluded) implements TargetLine {}

    private static Line include(TargetScope scope, String group) {
        return new Line(scope, group, false);
    }

    private static Line exclude(TargetScope scope, String group) {
        return new Line(scope, group, true);
    }

    @Test
    void onlyTargetedUsersAndGroupsAreSubjectToThePolicy() {
        List<Line> lines = List.of(include(TargetScope.USER_GROUP, "sales"));
        assertThat(Targeting.reachesUser(lines, Set.of("sales"))).isTrue();
        assertThat(Targeting.reachesUser(lines, Set.of("finance"))).isFalse();
        assertThat(Targeting.reachesUser(List.of(), Set.of("sales"))).isFalse();
    }

    @Test
    void exclusionWinsOverInclusionBetweenUserGroupsInWhateverOrder() {
        Line sales = include(TargetScope.USER_GROUP, "sales");
        Line vip = exclude(TargetScope.USER_GROUP, "vip");
        assertThat(Targeting.reachesUser(List.of(vip, sales), Set.of("sales", "vip")))
                .isFalse();
        assertThat(Targeting.reachesUser(List.of(sales, vip), Set.of("sales", "vip")))
                .isFalse();
        Line all = include(TargetScope.ALL_USERS, null);
        assertThat(Targeting.reachesUser(List.of(all, vip), Set.of("vip"))).isFalse();
        assertThat(Targeting.reachesUser(List.of(all, vip), Set.of())).isTrue();
    }

    @Test
    void deviceLinesNeitherAddNorRemoveAUserButDecideTheirDevice() {
        List<Line> lines =
                List.of(include(TargetScope.DEVICE_GROUP, "kiosks"), exclude(TargetScope.DEVICE_GROUP, "lab"));
        assertThat(Targeting.reachesUser(lines, Set.of("kiosks"))).isFalse();
        assertThat(Targeting.reachesUser(List.of(include(TargetScope.ALL_DEVICES, null)), Set.of()))
                .isFalse();
        assertThat(Targeting.reachesDevice(lines, Set.of(), Set.of("kiosks"))).isTrue();
        assertThat(Targeting.reachesDevice(lines, Set.of(), Set.of("kiosks", "lab")))
                .isFalse();
        // an excluded device group does not remove a device its user's group brings in
        List<Line> mixed = List.of(include(TargetScope.USER_GROUP, "sales"), exclude(TargetScope.DEVICE_GROUP, "lab"));
        assertThat(Targeting.reachesDevice(mixed, Set.of("sales"), Set.of("lab")))
                .isTrue();
        // and an excluded user group does not remove what the device's own groups bring in
        List<Line> other = List.of(exclude(TargetScope.USER_GROUP, "sales"), include(TargetScope.ALL_DEVICES, null));
        assertThat(Targeting.reachesDevice(other, Set.of("sales"), Set.of())).isTrue();
    }

    @Test
    void aLineOfAKindNotKnownNamesNobodyNotEvenToExclude() {
        List<Line> lines = List.of(include(TargetScope.ALL_USERS, null), exclude(TargetScope.UNKNOWN, "vip"));
        assertThat(Targeting.reachesUser(lines, Set.of("vip"))).isTrue();
        assertThat(Targeting.reachesUser(List.of(include(TargetScope.UNKNOWN, null)), Set.of()))
                .isFalse();
    }

    @Test
    void aGroupLineWithoutItsGroupNamesNobody() {
        assertThat(Targeting.reachesUser(List.of(include(TargetScope.USER_GROUP, null)), Set.of()))
                .isFalse();
    }

    @Test
    void verdictsCombineExclusionFirstThenInclusion() {
        assertThat(Reach.INCLUDED.and(Reach.EXCLUDED)).isEqualTo(Reach.EXCLUDED);
        assertThat(Reach.NOT_NAMED.and(Reach.INCLUDED)).isEqualTo(Reach.INCLUDED);
        assertThat(Reach.NOT_NAMED.and(Reach.NOT_NAMED)).isEqualTo(Reach.NOT_NAMED);
        assertThat(Targeting.deviceLines(List.of(exclude(TargetScope.DEVICE_GROUP, "lab")), Set.of("x")))
                .isEqualTo(Reach.NOT_NAMED);
    }
}
