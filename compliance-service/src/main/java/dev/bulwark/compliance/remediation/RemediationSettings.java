package dev.bulwark.compliance.remediation;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a failing subject first gets automated remediation, and how long it has to become compliant again before
 * it is signed out; and, for a device compliance policy, its later steps: access blocked {@code blockAfter} and the
 * device retired {@code retireAfter} after it became non-compliant (empty = the policy has no such step).
 */
public record RemediationSettings(
        boolean enabled, Duration deadline, Optional<Duration> blockAfter, Optional<Duration> retireAfter) {

    public RemediationSettings {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(blockAfter, "blockAfter");
        Objects.requireNonNull(retireAfter, "retireAfter");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a remediation deadline must be positive, was " + deadline);
        }
    }

    /** Remediation settings without later steps (app protection policies, the baseline). */
    public RemediationSettings(boolean enabled, Duration deadline) {
        this(enabled, deadline, Optional.empty(), Optional.empty());
    }

    public static RemediationSettings disabled() {
        return new RemediationSettings(false, Duration.ofHours(1));
    }

    /** The same, with a compliance policy's BLOCK and RETIRE steps. */
    public RemediationSettings withEscalation(Optional<Duration> block, Optional<Duration> retire) {
        return new RemediationSettings(enabled, deadline, block, retire);
    }
}
