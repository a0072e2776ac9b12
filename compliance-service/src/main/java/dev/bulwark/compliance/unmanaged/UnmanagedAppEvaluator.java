package dev.bulwark.compliance.unmanaged;

import dev.bulwark.compliance.policy.VersionLevels;
import dev.bulwark.compliance.rules.MinimumVersionRule;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.rules.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an unmanaged app instance's report against the baseline and names every rule it breaks. Separate from the
 * managed evaluator: the unmanaged path knows the app and the account, never the device's management state.
 */
public final class UnmanagedAppEvaluator {

    public static final String PIN_REQUIRED = "pinRequired";
    public static final String JAILBROKEN = "jailbroken";
    public static final String MINIMUM_APP_VERSION = "minimumAppVersion";
    public static final String MINIMUM_OS_VERSION = "minimumOsVersion";
    public static final String DISABLED_ACCOUNT = Violations.DISABLED_ACCOUNT;
    /** The rule an app instance breaks when it did not check in within its policy's offline period before a wipe. */
    public static final String OFFLINE_PERIOD = "offlineGracePeriodBeforeWipe";

    private final UnmanagedBaseline baseline;

    public UnmanagedAppEvaluator(UnmanagedBaseline baseline) {
        this.baseline = baseline;
    }

    public List<Violation> evaluate(AppInstanceReport report) {
        List<Violation> violations = new ArrayList<>();
        if (report.pinSet().filter(pinSet -> !pinSet).isPresent()) {
            violations.add(new Violation(PIN_REQUIRED, "true", "false", "no app PIN is set"));
        }
        if (report.jailbroken()) {
            violations.add(new Violation(JAILBROKEN, "false", "true", "the device is jailbroken or rooted"));
        }
        baseline.minimumAppVersion(report.appId())
                .flatMap(minimum ->
                        MinimumVersionRule.check(MINIMUM_APP_VERSION, "the app version", report.appVersion(), minimum))
                .ifPresent(violations::add);
        return List.copyOf(violations);
    }

    /**
     * Checks the report against one app protection policy's conditional launch rules; each finding names the policy,
     * and is marked for a wipe when the policy's action for it is to wipe data. A version only below the warn level is
     * no violation (the app warns by itself).
     */
    public static List<Violation> evaluate(AppInstanceReport report, AppProtectionPolicy policy) {
        List<Violation> violations = new ArrayList<>();
        String id = policy.policyId();
        if (policy.pinRequired() && report.pinSet().filter(pinSet -> !pinSet).isPresent()) {
            violations.add(new Violation(PIN_REQUIRED, "true", "false", "no app PIN is set").from(id, false));
        }
        if (report.jailbroken()) {
            violations.add(new Violation(JAILBROKEN, "false", "true", "the device is jailbroken or rooted")
                    .from(id, policy.jailbrokenWipes()));
        }
        if (report.accountDisabled() && policy.disabledAccount().isPresent()) {
            violations.add(new Violation(DISABLED_ACCOUNT, "enabled", "disabled", "your work account is disabled")
                    .from(id, policy.disabledAccountWipes()));
        }
        levelViolation(MINIMUM_OS_VERSION, "OS version", report.osVersion(), policy.minimumOsVersion(), id)
                .ifPresent(violations::add);
        levelViolation(MINIMUM_APP_VERSION, "app version", report.appVersion(), policy.minimumAppVersion(), id)
                .ifPresent(violations::add);
        return List.copyOf(violations);
    }

    private static Optional<Violation> levelViolation(
            String rule, String what, String reported, VersionLevels levels, String policyId) {
        if (levels.wipe().isPresent()) {
            Optional<Violation> wipe = MinimumVersionRule.check(
                    rule, "the " + what, reported, levels.wipe().get());
            if (wipe.isPresent()) {
                return Optional.of(wipe.get().from(policyId, true));
            }
        }
        return levels.block()
                .flatMap(block -> MinimumVersionRule.check(rule, "the " + what, reported, block))
                .map(violation -> violation.from(policyId, false));
    }
}
