package dev.bulwark.compliance.remediation;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether a failing subject first gets automated remediation, and how long it has to become compliant again before
 * it is signed out. Comes from the baseline today and from the subject's policy later.
 */
public record RemediationSettings(boolean enabled, Duration deadline) {

    public RemediationSettings {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a remediation deadline must be positive, was " + deadline);
        }
    }

    public static RemediationSettings disabled() {
        return new RemediationSettings(false, Duration.ofHours(1));
    }
}
