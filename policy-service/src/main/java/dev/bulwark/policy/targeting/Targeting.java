package dev.bulwark.policy.targeting;

import java.util.List;
import java.util.Set;

/**
 * Decides whether a user is subject to a policy: only targeted users are. A user is targeted when an include line
 * names all users or one of the user's groups, and no exclude line names one of the user's groups. Exclusion wins
 * only between groups of the same kind: device-group lines never add or remove a user.
 */
public final class Targeting {

    private Targeting() {}

    /** Whether the user, member of {@code userGroups}, is subject to a policy with these targets. */
    public static boolean targetsUser(List<Target> targets, Set<String> userGroups) {
        boolean included = false;
        for (Target target : targets) {
            if (!target.kind().isUserKind()) {
                continue;
            }
            boolean names = target.kind() == TargetKind.ALL_USERS || userGroups.contains(target.groupId());
            if (!names) {
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
