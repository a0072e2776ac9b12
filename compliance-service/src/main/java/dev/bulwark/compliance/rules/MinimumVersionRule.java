package dev.bulwark.compliance.rules;

import dev.bulwark.rules.Version;
import java.util.Optional;

/**
 * The one "minimum version" check of both evaluators (a managed device's OS, an app instance's OS and app): a reported
 * version below the minimum, or one that cannot be read and so cannot prove it meets it, is a violation of
 * {@code rule} expecting {@code >= minimum}.
 */
public final class MinimumVersionRule {

    private MinimumVersionRule() {}

    /**
     * @param what how the summary names the version, e.g. "its OS version" or "the app version"
     */
    public static Optional<Violation> check(String rule, String what, String reported, Version minimum) {
        String expected = ">= " + minimum;
        Optional<Version> actual = Version.tryParse(reported);
        if (actual.isEmpty()) {
            return Optional.of(new Violation(
                    rule,
                    expected,
                    String.valueOf(reported),
                    what + " '" + reported + "' cannot be checked against the minimum " + minimum));
        }
        if (actual.get().isBelow(minimum)) {
            return Optional.of(new Violation(
                    rule, expected, reported, what + " " + reported + " is below the minimum " + minimum));
        }
        return Optional.empty();
    }
}
