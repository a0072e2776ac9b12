package dev.bulwark.policy.targeting;

import dev.bulwark.policy.support.FieldErrors;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a policy's include and exclude lines: kinds the policy may target, a group id exactly where one is needed, a
 * group that exists with the right kind, no group both included and excluded, no exclusion of "all".
 */
public final class TargetRules {

    private TargetRules() {}

    /**
     * Adds an error to {@code errors} for every line that breaks a rule. {@code groupKind} answers the kind of a known
     * group of the caller's tenant, empty when the group is unknown.
     */
    public static void check(
            List<Target> targets,
            Set<TargetKind> allowed,
            Function<String, Optional<TargetKind>> groupKind,
            FieldErrors errors) {
        if (targets == null) {
            errors.add("targets", "must be a list (empty: the policy is not assigned yet)");
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            String at = "targets[" + i + "]";
            if (target == null || target.kind() == null) {
                errors.add(at + ".kind", "must be one of " + allowed);
                continue;
            }
            if (!allowed.contains(target.kind())) {
                errors.add(at + ".kind", "this policy can only target " + allowed + ", was " + target.kind());
                continue;
            }
            if (!target.kind().isGroup()) {
                errors.check(target.groupId() != null, at + ".groupId", "must be absent for " + target.kind());
                errors.check(
                        target.excluded(), at + ".excluded", target.kind() + " cannot be excluded; exclude groups");
                continue;
            }
            if (target.groupId() == null || target.groupId().isBlank()) {
                errors.add(at + ".groupId", "is required for " + target.kind());
                continue;
            }
            Optional<TargetKind> known = groupKind.apply(target.groupId());
            if (known.isEmpty()) {
                errors.add(at + ".groupId", "unknown group '" + target.groupId() + "' in this tenant");
            } else if (known.get() != target.kind()) {
                errors.add(
                        at + ".groupId",
                        "group '" + target.groupId() + "' is a " + known.get() + ", not a " + target.kind());
            }
            Integer earlier = seen.putIfAbsent(target.groupId(), i);
            if (earlier != null) {
                boolean contradicts = targets.get(earlier).excluded() != target.excluded();
                errors.add(
                        at + ".groupId",
                        contradicts
                                ? "group '" + target.groupId() + "' is both included and excluded (targets[" + earlier
                                        + "])"
                                : "group '" + target.groupId() + "' is listed twice (targets[" + earlier + "])");
            }
        }
    }
}
