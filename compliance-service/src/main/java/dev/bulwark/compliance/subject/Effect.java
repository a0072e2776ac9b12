package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.events.SignOutReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a state transition asks the service to do: each effect becomes a timeline entry, and some become events or
 * remediation deadlines. Kept free of persistence so the state machine stays testable on its own.
 */
public sealed interface Effect {

    /** First verdict for a subject, and it holds: only the timeline notes it. */
    record AssessedCompliant() implements Effect {}

    /** The subject broke rules while compliant (or unknown): ComplianceFailed. */
    record Failed(List<Violation> violations, boolean remediationEnabled, Optional<Instant> remediationDueAt)
            implements Effect {
        public Failed {
            violations = List.copyOf(violations);
        }
    }

    /** Automated remediation starts; the subject must be compliant again by {@code dueAt}: RemediationAttempted. */
    record RemediationStarted(Instant dueAt, Optional<Instant> blockAt, Optional<Instant> retireAt) implements Effect {

        /** A remediation without later steps. */
        public RemediationStarted(Instant dueAt) {
            this(dueAt, Optional.empty(), Optional.empty());
        }
    }

    /** The running remediation attempt ends, in success or failure: RemediationAttempted with its outcome. */
    record RemediationEnded(boolean succeeded, String detail) implements Effect {}

    /** The account must sign out and sign in again: SignOutRequired. */
    record SignOut(SignOutReason reason, List<Violation> violations) implements Effect {
        public SignOut {
            violations = List.copyOf(violations);
        }
    }

    /** A report satisfied every rule again after a failure: ComplianceRestored. */
    record Restored(SubjectState from) implements Effect {}

    /** Still non-compliant, with other findings: no new event (no duplicates), only the "why" is kept current. */
    record ViolationsChanged(List<Violation> violations) implements Effect {
        public ViolationsChanged {
            violations = List.copyOf(violations);
        }
    }

    /**
     * Access is blocked without a remediation deadline: a broken rule whose action is to block access (a disabled
     * account), or a compliance policy's BLOCK step. {@code why} says which, for the timeline.
     */
    record Blocked(String why) implements Effect {}

    /**
     * A compliance policy's later step is scheduled: BLOCK or RETIRE at {@code dueAt} (durable, like a remediation
     * deadline), with the step after it if any.
     */
    record EscalationScheduled(String step, Instant dueAt, Optional<Instant> retireAt) implements Effect {}

    /** The managed device was retired: its reports are no longer evaluated. */
    record Retired() implements Effect {}
}
