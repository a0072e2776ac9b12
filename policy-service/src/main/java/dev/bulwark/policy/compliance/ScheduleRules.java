package dev.bulwark.policy.compliance;

import dev.bulwark.policy.protection.AppIds;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.rules.Version;
import dev.bulwark.rules.VersionFormatException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a device compliance policy: valid OS bounds with minimum ≤ maximum, well-formed required apps, and a
 * graduated schedule — grace periods not negative, MARK_NON_COMPLIANT present, each escalation at most once and never
 * before a milder one, retirement strictly after blocking.
 */
public final class ScheduleRules {

    private ScheduleRules() {}

    public static void check(ComplianceRules rules, List<ScheduledAction> actions, FieldErrors errors) {
        Optional<Version> min = version(rules.minimumOsVersion(), "rules.minimumOsVersion", errors);
        Optional<Version> max = version(rules.maximumOsVersion(), "rules.maximumOsVersion", errors);
        if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
            errors.add(
                    "rules.maximumOsVersion",
                    "must not be below rules.minimumOsVersion (" + min.get() + "): no device could comply, was "
                            + max.get());
        }
        errors.check(rules.encryptionRequired() == null, "rules.encryptionRequired", "is required");
        errors.check(rules.passcodeRequired() == null, "rules.passcodeRequired", "is required");
        errors.check(rules.jailbrokenBlocked() == null, "rules.jailbrokenBlocked", "is required");
        List<String> apps = rules.requiredApps() == null ? List.of() : rules.requiredApps();
        for (int i = 0; i < apps.size(); i++) {
            errors.check(
                    !AppIds.wellFormed(apps.get(i)),
                    "rules.requiredApps[" + i + "]",
                    "unknown app '" + apps.get(i) + "': an appId is a package name or bundle id");
        }
        schedule(actions, errors);
    }

    private static void schedule(List<ScheduledAction> actions, FieldErrors errors) {
        Map<ComplianceAction, Duration> escalations = new EnumMap<>(ComplianceAction.class);
        Map<ComplianceAction, Integer> index = new EnumMap<>(ComplianceAction.class);
        for (int i = 0; i < actions.size(); i++) {
            ScheduledAction step = actions.get(i);
            String at = "actions[" + i + "]";
            if (step == null || step.action() == null) {
                errors.add(at + ".action", "must be one of " + List.of(ComplianceAction.values()));
                continue;
            }
            if (step.after() == null || step.after().isNegative()) {
                errors.add(at + ".after", "must be a grace period of zero or more, was " + step.after());
                continue;
            }
            if (step.action() != ComplianceAction.NOTIFY && escalations.put(step.action(), step.after()) != null) {
                errors.add(at + ".action", step.action() + " is scheduled twice");
            }
            index.put(step.action(), i);
        }
        if (!escalations.containsKey(ComplianceAction.MARK_NON_COMPLIANT)) {
            errors.add("actions", "must contain MARK_NON_COMPLIANT (with its grace period)");
        }
        order(escalations, index, ComplianceAction.MARK_NON_COMPLIANT, ComplianceAction.BLOCK, false, errors);
        order(escalations, index, ComplianceAction.MARK_NON_COMPLIANT, ComplianceAction.RETIRE, false, errors);
        order(escalations, index, ComplianceAction.BLOCK, ComplianceAction.RETIRE, true, errors);
    }

    private static void order(
            Map<ComplianceAction, Duration> at,
            Map<ComplianceAction, Integer> index,
            ComplianceAction milder,
            ComplianceAction harsher,
            boolean strictly,
            FieldErrors errors) {
        Duration first = at.get(milder);
        Duration then = at.get(harsher);
        if (first == null || then == null) {
            return;
        }
        int cmp = then.compareTo(first);
        if (cmp < 0 || (strictly && cmp == 0)) {
            errors.add(
                    "actions[" + index.get(harsher) + "].after",
                    harsher + " after " + then + " must come " + (strictly ? "after " : "no earlier than ") + milder
                            + " (after " + first + ")");
        }
    }

    private static Optional<Version> version(String text, String field, FieldErrors errors) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Version.parse(text));
        } catch (VersionFormatException e) {
            errors.add(field, e.getMessage());
            return Optional.empty();
        }
    }
}
