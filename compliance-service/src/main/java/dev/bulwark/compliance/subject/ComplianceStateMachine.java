package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.rules.Violations;
import dev.bulwark.events.SignOutReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The per-subject compliance lifecycle, shared by the managed and the unmanaged path: a failing verdict on a compliant
 * subject fails it once (remediation first if enabled, else an immediate sign-out), repeated failures add nothing, a
 * missed remediation deadline signs out, a passing verdict restores, and a retired device is signed out.
 */
public final class ComplianceStateMachine {

    /** Applies the verdict of one report ({@code violations} empty = compliant) to the subject's current state. */
    public Outcome onVerdict(
            Optional<SubjectSnapshot> current,
            List<Violation> violations,
            RemediationSettings remediation,
            Instant now) {
        boolean compliant = violations.isEmpty();
        if (current.isEmpty()) {
            return compliant
                    ? new Outcome(SubjectState.COMPLIANT, List.of(), List.of(new Effect.AssessedCompliant()))
                    : fail(violations, remediation, now);
        }
        SubjectSnapshot subject = current.get();
        switch (subject.state()) {
            case COMPLIANT:
                return compliant ? Outcome.nothing(subject) : fail(violations, remediation, now);
            case NON_COMPLIANT_REMEDIATING:
            case SIGNED_OUT:
                if (compliant) {
                    return restore(subject);
                }
                if (Violations.sameFindings(violations, subject.violations())) {
                    return Outcome.nothing(subject);
                }
                return new Outcome(subject.state(), violations, List.of(new Effect.ViolationsChanged(violations)));
            default:
                throw new IllegalStateException("unhandled state " + subject.state());
        }
    }

    /**
     * The remediation deadline passed. Only a subject still remediating is signed out; one that became compliant (or
     * was signed out otherwise) in the meantime is left alone.
     */
    public Outcome onDeadlineExpired(SubjectSnapshot current) {
        if (current.state() != SubjectState.NON_COMPLIANT_REMEDIATING) {
            return Outcome.nothing(current);
        }
        return new Outcome(
                SubjectState.SIGNED_OUT,
                current.violations(),
                List.of(
                        new Effect.RemediationEnded(false, "the remediation deadline passed"),
                        new Effect.SignOut(SignOutReason.REMEDIATION_FAILED, current.violations())));
    }

    /**
     * The managed device was retired: whatever its verdict, the account is signed out of the protected apps on it
     * (once: a subject already signed out is not signed out again) and a running remediation ends as failed.
     */
    public Outcome onRetired(Optional<SubjectSnapshot> current) {
        List<Violation> violations = current.map(SubjectSnapshot::violations).orElse(List.of());
        SubjectState state = current.map(SubjectSnapshot::state).orElse(SubjectState.COMPLIANT);
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.Retired());
        if (state == SubjectState.NON_COMPLIANT_REMEDIATING) {
            effects.add(new Effect.RemediationEnded(false, "the device was retired"));
        }
        if (state != SubjectState.SIGNED_OUT) {
            effects.add(new Effect.SignOut(SignOutReason.DEVICE_RETIRED, violations));
        }
        return new Outcome(SubjectState.SIGNED_OUT, violations, effects);
    }

    private static Outcome restore(SubjectSnapshot subject) {
        List<Effect> effects = new ArrayList<>();
        if (subject.state() == SubjectState.NON_COMPLIANT_REMEDIATING) {
            effects.add(new Effect.RemediationEnded(true, "the subject is compliant again"));
        }
        effects.add(new Effect.Restored(subject.state()));
        return new Outcome(SubjectState.COMPLIANT, List.of(), effects);
    }

    private static Outcome fail(List<Violation> violations, RemediationSettings remediation, Instant now) {
        List<Effect> effects = new ArrayList<>();
        if (remediation.enabled()) {
            Instant dueAt = now.plus(remediation.deadline());
            effects.add(new Effect.Failed(violations, true, Optional.of(dueAt)));
            effects.add(new Effect.RemediationStarted(dueAt));
            return new Outcome(SubjectState.NON_COMPLIANT_REMEDIATING, violations, effects);
        }
        effects.add(new Effect.Failed(violations, false, Optional.empty()));
        effects.add(new Effect.SignOut(SignOutReason.REMEDIATION_DISABLED, violations));
        return new Outcome(SubjectState.SIGNED_OUT, violations, effects);
    }
}
