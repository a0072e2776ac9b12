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

    /** The deadline step of a compliance policy's BLOCK action. */
    public static final String STEP_BLOCK = "BLOCK";
    /** The deadline step of a compliance policy's RETIRE action. */
    public static final String STEP_RETIRE = "RETIRE";

    /**
     * Applies the verdict of one report ({@code violations} empty = compliant) to the subject's current state.
     * {@code from} is the time its cause happened (the report's event time): a remediation deadline and the later
     * steps count from it.
     */
    public Outcome onVerdict(
            Optional<SubjectSnapshot> current,
            List<Violation> violations,
            RemediationSettings remediation,
            Instant from) {
        boolean compliant = violations.isEmpty();
        if (current.isEmpty()) {
            return compliant
                    ? new Outcome(SubjectState.COMPLIANT, List.of(), List.of(new Effect.AssessedCompliant()))
                    : fail(violations, remediation, from);
        }
        SubjectSnapshot subject = current.get();
        if (subject.state() != SubjectState.COMPLIANT && compliant) {
            return restore(subject);
        }
        switch (subject.state()) {
            case COMPLIANT:
                return compliant ? Outcome.nothing(subject) : fail(violations, remediation, from);
            case NON_COMPLIANT_REMEDIATING:
                if (Violations.anyWipesAtOnce(violations) || Violations.anyBlocksAtOnce(violations)) {
                    // remediation cannot fix a disabled account: its action applies now
                    List<Effect> effects = new ArrayList<>();
                    effects.add(new Effect.RemediationEnded(false, "a rule broke that remediation cannot fix"));
                    return atOnce(violations, effects);
                }
                return changed(subject, violations);
            case BLOCKED:
                if (Violations.anyWipesAtOnce(violations)) {
                    return new Outcome(
                            SubjectState.SIGNED_OUT,
                            violations,
                            List.of(new Effect.SignOut(signOutReasonAtOnce(violations), violations)));
                }
                boolean blockedByRule = subject.violations().stream().anyMatch(Violations::actsAtOnce);
                if (blockedByRule && !Violations.anyBlocksAtOnce(violations)) {
                    // the rule that blocked holds again (the account is enabled), others still break: a new failure
                    return fail(violations, remediation, from);
                }
                return changed(subject, violations);
            case SIGNED_OUT:
                if (Violations.anyWipesAtOnce(violations) && !Violations.anyWipesAtOnce(subject.violations())) {
                    // signed out without a wipe before; now the policy's action for the disabled account is a wipe
                    return new Outcome(
                            SubjectState.SIGNED_OUT,
                            violations,
                            List.of(new Effect.SignOut(signOutReasonAtOnce(violations), violations)));
                }
                return changed(subject, violations);
            default:
                throw new IllegalStateException("unhandled state " + subject.state());
        }
    }

    /**
     * The remediation deadline passed. Only a subject still remediating is signed out; one that became compliant (or
     * was signed out otherwise) in the meantime is left alone.
     */
    public Outcome onDeadlineExpired(SubjectSnapshot current) {
        return onDeadlineExpired(current, Optional.empty(), Optional.empty());
    }

    /**
     * The remediation deadline (a compliance policy's MARK_NON_COMPLIANT grace period) passed: sign-out, and the
     * policy's BLOCK (or else RETIRE) step is scheduled when it has one.
     */
    public Outcome onDeadlineExpired(SubjectSnapshot current, Optional<Instant> blockAt, Optional<Instant> retireAt) {
        if (current.state() != SubjectState.NON_COMPLIANT_REMEDIATING) {
            return Outcome.nothing(current);
        }
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.RemediationEnded(false, "the remediation deadline passed"));
        effects.add(new Effect.SignOut(SignOutReason.REMEDIATION_FAILED, current.violations()));
        escalation(blockAt, retireAt).ifPresent(effects::add);
        return new Outcome(SubjectState.SIGNED_OUT, current.violations(), effects);
    }

    /**
     * A compliance policy's BLOCK step came due for a device still out of compliance (signed out): access from it is
     * blocked, and its RETIRE step, if any, is scheduled.
     */
    public Outcome onBlockDue(SubjectSnapshot current, Optional<Instant> retireAt) {
        if (current.state() != SubjectState.SIGNED_OUT && current.state() != SubjectState.NON_COMPLIANT_REMEDIATING) {
            return Outcome.nothing(current);
        }
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.Blocked("the compliance policy's BLOCK step came due"));
        retireAt.ifPresent(at -> effects.add(new Effect.EscalationScheduled(STEP_RETIRE, at, Optional.empty())));
        return new Outcome(SubjectState.BLOCKED, current.violations(), effects);
    }

    /**
     * A compliance policy's RETIRE step came due for a device still out of compliance: its account is signed out of
     * the protected apps with a selective wipe of corporate data (reason DEVICE_RETIRED), and it stays blocked.
     */
    public Outcome onRetireDue(SubjectSnapshot current) {
        if (current.state() == SubjectState.COMPLIANT) {
            return Outcome.nothing(current);
        }
        return new Outcome(
                SubjectState.BLOCKED,
                current.violations(),
                List.of(new Effect.SignOut(SignOutReason.DEVICE_RETIRED, current.violations())));
    }

    /**
     * The app did not check in within its policy's offline period before a wipe: the account is signed out of the app
     * with a selective wipe (reason OFFLINE_TOO_LONG), whatever its state; a running remediation ends as failed.
     */
    public Outcome onOfflineTooLong(Optional<SubjectSnapshot> current, Violation offline) {
        List<Violation> violations =
                new ArrayList<>(current.map(SubjectSnapshot::violations).orElse(List.of()));
        violations.removeIf(v -> v.rule().equals(offline.rule()));
        violations.add(offline);
        List<Effect> effects = new ArrayList<>();
        if (current.map(SubjectSnapshot::state).orElse(SubjectState.COMPLIANT)
                == SubjectState.NON_COMPLIANT_REMEDIATING) {
            effects.add(new Effect.RemediationEnded(false, "the app was offline too long"));
        }
        effects.add(new Effect.SignOut(SignOutReason.OFFLINE_TOO_LONG, List.of(offline)));
        return new Outcome(SubjectState.SIGNED_OUT, violations, effects);
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

    private static Outcome fail(List<Violation> violations, RemediationSettings remediation, Instant from) {
        List<Effect> effects = new ArrayList<>();
        if (Violations.anyWipesAtOnce(violations) || Violations.anyBlocksAtOnce(violations)) {
            effects.add(new Effect.Failed(violations, false, Optional.empty()));
            return atOnce(violations, effects);
        }
        Optional<Instant> blockAt = remediation.blockAfter().map(from::plus);
        Optional<Instant> retireAt = remediation.retireAfter().map(from::plus);
        if (remediation.enabled()) {
            Instant dueAt = from.plus(remediation.deadline());
            effects.add(new Effect.Failed(violations, true, Optional.of(dueAt)));
            effects.add(new Effect.RemediationStarted(dueAt, blockAt, retireAt));
            return new Outcome(SubjectState.NON_COMPLIANT_REMEDIATING, violations, effects);
        }
        effects.add(new Effect.Failed(violations, false, Optional.empty()));
        effects.add(new Effect.SignOut(SignOutReason.REMEDIATION_DISABLED, violations));
        escalation(blockAt, retireAt).ifPresent(effects::add);
        return new Outcome(SubjectState.SIGNED_OUT, violations, effects);
    }

    /** A rule that acts at once broke: a wipe action signs out now (with the wipe), a block action blocks now. */
    private static Outcome atOnce(List<Violation> violations, List<Effect> effects) {
        if (Violations.anyWipesAtOnce(violations)) {
            effects.add(new Effect.SignOut(signOutReasonAtOnce(violations), violations));
            return new Outcome(SubjectState.SIGNED_OUT, violations, effects);
        }
        effects.add(new Effect.Blocked("a rule whose action is to block access is broken"));
        return new Outcome(SubjectState.BLOCKED, violations, effects);
    }

    private static SignOutReason signOutReasonAtOnce(List<Violation> violations) {
        return SignOutReason.ACCOUNT_DISABLED;
    }

    /** The next later step of a compliance policy after the sign-out: BLOCK, else RETIRE, else none. */
    private static Optional<Effect> escalation(Optional<Instant> blockAt, Optional<Instant> retireAt) {
        if (blockAt.isPresent()) {
            return Optional.of(new Effect.EscalationScheduled(STEP_BLOCK, blockAt.get(), retireAt));
        }
        return retireAt.map(at -> new Effect.EscalationScheduled(STEP_RETIRE, at, Optional.empty()));
    }

    private static Outcome changed(SubjectSnapshot subject, List<Violation> violations) {
        if (Violations.sameFindings(violations, subject.violations())) {
            return Outcome.nothing(subject);
        }
        return new Outcome(subject.state(), violations, List.of(new Effect.ViolationsChanged(violations)));
    }
}
