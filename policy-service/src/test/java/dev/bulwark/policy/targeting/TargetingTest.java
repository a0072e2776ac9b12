package dev.bulwark.policy.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetingTest {

    @Test
    void onlyTargetedUsersAreSubject() {
        List<Target> targets = List.of(Target.includeUsers("sales"));
        assertThat(Targeting.targetsUser(targets, Set.of("sales"))).isTrue();
        assertThat(Targeting.targetsUser(targets, Set.of("hr"))).isFalse();
        assertThat(Targeting.targetsUser(List.of(), Set.of("sales"))).isFalse();
    }

    @Test
    void exclusionWinsOverInclusionBetweenUserGroupsInWhateverOrder() {
        assertThat(Targeting.targetsUser(
                        List.of(Target.excludeUsers("vip"), Target.includeUsers("sales")), Set.of("sales", "vip")))
                .isFalse();
        assertThat(Targeting.targetsUser(
                        List.of(Target.includeUsers("sales"), Target.excludeUsers("vip")), Set.of("sales", "vip")))
                .isFalse();
        assertThat(Targeting.targetsUser(List.of(Target.allUsers(), Target.excludeUsers("vip")), Set.of("vip")))
                .isFalse();
        assertThat(Targeting.targetsUser(List.of(Target.allUsers(), Target.excludeUsers("vip")), Set.of()))
                .isTrue();
    }

    @Test
    void deviceGroupLinesNeitherIncludeNorExcludeAUser() {
        List<Target> targets =
                List.of(Target.includeUsers("sales"), new Target(TargetKind.DEVICE_GROUP, "sales-phones", true));
        assertThat(Targeting.targetsUser(targets, Set.of("sales", "sales-phones")))
                .isTrue();
        assertThat(Targeting.targetsUser(List.of(new Target(TargetKind.ALL_DEVICES, null, false)), Set.of()))
                .isFalse();
    }
}
