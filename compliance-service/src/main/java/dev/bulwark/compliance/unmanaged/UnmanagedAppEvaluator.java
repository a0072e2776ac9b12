package dev.bulwark.compliance.unmanaged;

import dev.bulwark.compliance.rules.Version;
import dev.bulwark.compliance.rules.Violation;
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
                .flatMap(minimum -> appVersionViolation(report.appVersion(), minimum))
                .ifPresent(violations::add);
        return List.copyOf(violations);
    }

    private static Optional<Violation> appVersionViolation(String reported, Version minimum) {
        String expected = ">= " + minimum;
        Optional<Version> actual = Version.parse(reported);
        if (actual.isEmpty()) {
            return Optional.of(new Violation(
                    MINIMUM_APP_VERSION,
                    expected,
                    reported,
                    "the app version '" + reported + "' cannot be checked against the minimum " + minimum));
        }
        if (actual.get().isBelow(minimum)) {
            return Optional.of(new Violation(
                    MINIMUM_APP_VERSION,
                    expected,
                    reported,
                    "the app version " + reported + " is below the minimum " + minimum));
        }
        return Optional.empty();
    }
}
