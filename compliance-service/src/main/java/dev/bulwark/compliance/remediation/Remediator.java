package dev.bulwark.compliance.remediation;

import dev.bulwark.compliance.rules.Violation;
import java.time.Instant;
import java.util.List;

/**
 * Turns the violations of a subject that starts remediation into the commands of its path (device commands on the
 * managed path, app prompts on the unmanaged one). Each path has its own; the baseline has none and only grants a
 * grace period.
 */
@FunctionalInterface
public interface Remediator {

    /** Sends nothing: the subject has until the deadline to comply by itself. */
    Remediator GRACE_PERIOD_ONLY = (tenantId, subjectId, userId, violations, dueAt, now) -> List.of();

    /**
     * The commands of one remediation attempt.
     *
     * @param dueAt the attempt's deadline, which each command names
     * @param now the decision's time (the service's clock), each command's {@code occurredAt}
     */
    List<RemediationCommand> commands(
            String tenantId, String subjectId, String userId, List<Violation> violations, Instant dueAt, Instant now);
}
