package dev.bulwark.compliance.policy;

import dev.bulwark.events.TargetKind;
import java.util.List;
import java.util.Set;

/**
 * Whether a policy's include and exclude lines reach a subject. Only targeted users and groups are subject to a policy,
 * and exclusion wins over inclusion between groups of the same kind: an excluded user group removes what all users or
 * an included user group added, an excluded device group what all devices or an included device group added.
 */
public final class Targeting {

    private Targeting() {}

    /** For app protection policies, which target users only: device lines never add or remove a user. */
    public static boolean reachesUser(List<PolicyTarget> targets, Set<String> userGroups) {
        return reaches(targets, userGroups, TargetKind.ALL_USERS, TargetKind.USER_GROUP);
    }

    /** For device compliance policies: the device is reached through its primary user or through itself. */
    public static boolean reachesDevice(List<PolicyTarget> targets, Set<String> userGroups, Set<String> deviceGroups) {
        return reaches(targets, userGroups, TargetKind.ALL_USERS, TargetKind.USER_GROUP)
                || reaches(targets, deviceGroups, TargetKind.ALL_DEVICES, TargetKind.DEVICE_GROUP);
    }

    private static boolean reaches(List<PolicyTarget> targets, Set<String> groups, TargetKind all, TargetKind group) {
        boolean included = false;
        for (PolicyTarget target : targets) {
            boolean matches = target.kind() == all
                    || (target.kind() == group
                            && target.groupId().filter(groups::contains).isPresent());
            if (!matches) {
                continue;
            }
            if (target.excluded()) {
                return false;
            }
            included = true;
        }
        return included;
    }
}
