package dev.bulwark.rules;

import java.util.List;
import java.util.Set;

/**
 * Whether a policy's include and exclude lines reach a subject — the one rule sign-in (policy-service) and evaluation
 * (compliance-service) both apply. Only targeted users and groups are subject to a policy, and exclusion wins over
 * inclusion between lines of the same kind, in whatever order they come: an excluded user group removes what all
 * users or an included user group added, an excluded device group what all devices or an included device group
 * added. User lines never add or remove a device's own lines' verdict and the other way round.
 */
public final class Targeting {

    /** What the lines of one kind say of a subject. */
    public enum Reach {
        /** A line of the kind names it and none of them excludes it. */
        INCLUDED,
        /** A line of the kind excludes it. */
        EXCLUDED,
        /** No line of the kind names it. */
        NOT_NAMED;

        /** This verdict combined with another one about the same subject: exclusion wins, then inclusion. */
        public Reach and(Reach other) {
            if (this == EXCLUDED || other == EXCLUDED) {
                return EXCLUDED;
            }
            return this == INCLUDED || other == INCLUDED ? INCLUDED : NOT_NAMED;
        }
    }

    private Targeting() {}

    /** For policies that target users (app protection, conditional access, a profile's user lines). */
    public static boolean reachesUser(List<? extends TargetLine> lines, Set<String> userGroups) {
        return userLines(lines, userGroups) == Reach.INCLUDED;
    }

    /** For device policies: the device is reached through its primary user or through its own groups. */
    public static boolean reachesDevice(
            List<? extends TargetLine> lines, Set<String> userGroups, Set<String> deviceGroups) {
        return reachesUser(lines, userGroups) || deviceLines(lines, deviceGroups) == Reach.INCLUDED;
    }

    /** What the user lines say of a user in {@code userGroups}. */
    public static Reach userLines(List<? extends TargetLine> lines, Set<String> userGroups) {
        return reach(lines, userGroups, TargetScope.ALL_USERS, TargetScope.USER_GROUP);
    }

    /** What the device lines say of a device in {@code deviceGroups}. */
    public static Reach deviceLines(List<? extends TargetLine> lines, Set<String> deviceGroups) {
        return reach(lines, deviceGroups, TargetScope.ALL_DEVICES, TargetScope.DEVICE_GROUP);
    }

    private static Reach reach(
            List<? extends TargetLine> lines, Set<String> groups, TargetScope all, TargetScope group) {
        Reach reach = Reach.NOT_NAMED;
        for (TargetLine line : lines) {
            TargetScope scope = line.targetScope();
            boolean names = scope == all
                    || (scope == group && line.targetGroup() != null && groups.contains(line.targetGroup()));
            if (!names) {
                continue;
            }
            if (line.excluded()) {
                return Reach.EXCLUDED;
            }
            reach = Reach.INCLUDED;
        }
        return reach;
    }
}
