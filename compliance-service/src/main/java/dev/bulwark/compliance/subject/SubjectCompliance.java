package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.evaluation.BatchFacts;
import dev.bulwark.compliance.metrics.ComplianceMeters;
import dev.bulwark.compliance.remediation.DeadlineStatus;
import dev.bulwark.compliance.remediation.LateFixes;
import dev.bulwark.compliance.remediation.RemediationCommand;
import dev.bulwark.compliance.remediation.RemediationDeadline;
import dev.bulwark.compliance.remediation.RemediationDeadlines;
import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.remediation.RemediationSteps;
import dev.bulwark.compliance.remediation.Remediator;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.support.JsonColumns;
import dev.bulwark.compliance.timeline.Detail;
import dev.bulwark.compliance.timeline.SubjectTimeline;
import dev.bulwark.compliance.timeline.TimelineKind;
import dev.bulwark.compliance.wipe.SelectiveWipes;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies verdicts, expired deadlines and retirements to subjects: runs the {@link ComplianceStateMachine} on the
 * locked subject, stores the new state, and turns each effect into its outbox events, remediation deadline and timeline
 * entry, all in the caller's transaction. Both the managed and the unmanaged path come through here.
 */
@ApplicationScoped
public class SubjectCompliance {

    private static final Logger LOG = Logger.getLogger(SubjectCompliance.class);

    private final ComplianceStateMachine machine = new ComplianceStateMachine();
    private final ComplianceSubjects subjects;
    private final SubjectTimeline timeline;
    private final RemediationDeadlines deadlines;
    private final RemediationSteps steps;
    private final Outbox outbox;
    private final ComplianceMeters meters;
    private final JsonColumns json;
    private final Clock clock;
    private final SelectiveWipes wipes;
    private final LateFixes lateFixes;

    SubjectCompliance(
            ComplianceSubjects subjects,
            SubjectTimeline timeline,
            RemediationDeadlines deadlines,
            RemediationSteps steps,
            Outbox outbox,
            JsonColumns json,
            Clock clock,
            SelectiveWipes wipes,
            LateFixes lateFixes,
            ComplianceMeters meters) {
        this.meters = meters;
        this.wipes = wipes;
        this.lateFixes = lateFixes;
        this.steps = steps;
        this.subjects = subjects;
        this.timeline = timeline;
        this.deadlines = deadlines;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Applies the verdict of one report to the subject. {@code violations} empty means every rule holds.
     * {@code causeEventId} is the report's eventId, carried into the events so a reader can trace the verdict. The
     * subject's row is the one {@code batch} holds locked, else it is locked now.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public SubjectState applyVerdict(
            BatchFacts batch,
            SubjectRef ref,
            List<Violation> violations,
            RemediationSettings remediation,
            Optional<String> causeEventId) {
        return applyVerdict(batch, ref, violations, remediation, Remediator.GRACE_PERIOD_ONLY, causeEventId);
    }

    /**
     * Applies a verdict whose remediation, if it starts, sends the commands {@code remediator} gives for the
     * violations: one RemediationAttempted PENDING per command. Its deadlines count from now: for a cause without a
     * device's event time.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public SubjectState applyVerdict(
            BatchFacts batch,
            SubjectRef ref,
            List<Violation> violations,
            RemediationSettings remediation,
            Remediator remediator,
            Optional<String> causeEventId) {
        return applyVerdict(batch, ref, violations, remediation, remediator, causeEventId, Optional.empty());
    }

    /**
     * Applies a verdict in event time: {@code eventTime} is when its cause happened on the device (the occurredAt of
     * the check-in or enrollment, set by device-registry when it accepted it). A remediation it starts is due that long
     * after the event, not after we got to it, and so are the compliance policy's later steps (BLOCK, RETIRE); the
     * deadline job fires it only once the watermark has passed it. Empty for a cause that has no device event time (a
     * policy or directory change, a re-driven dead letter): deadlines then count from now, the time the subject learns
     * of its new verdict — never earlier than the device could have acted on it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public SubjectState applyVerdict(
            BatchFacts batch,
            SubjectRef ref,
            List<Violation> violations,
            RemediationSettings remediation,
            Remediator remediator,
            Optional<String> causeEventId,
            Optional<Instant> eventTime) {
        Instant now = clock.instant();
        Optional<ComplianceSubject> existing = subjects.findForUpdate(batch, ref.tenantId(), ref.subjectId());
        Outcome outcome =
                machine.onVerdict(existing.map(this::snapshot), violations, remediation, eventTime.orElse(now));
        if (eventTime.isPresent() && outcome.state() == SubjectState.COMPLIANT && existing.isPresent()) {
            SubjectState before = existing.get().state();
            if (before == SubjectState.SIGNED_OUT || before == SubjectState.BLOCKED) {
                lateFixes.restored(ref.tenantId(), ref.subjectId(), eventTime.get(), causeEventId);
            }
        }
        store(batch, ref, existing, outcome, causeEventId, Optional.empty(), remediator, now);
        return outcome.state();
    }

    /** The managed device was retired: its account is signed out of the protected apps on it (once). */
    @Transactional(Transactional.TxType.MANDATORY)
    public SubjectState retire(BatchFacts batch, SubjectRef ref, Optional<String> causeEventId) {
        Instant now = clock.instant();
        Optional<ComplianceSubject> existing = subjects.findForUpdate(batch, ref.tenantId(), ref.subjectId());
        Outcome outcome = machine.onRetired(existing.map(this::snapshot));
        store(batch, ref, existing, outcome, causeEventId, Optional.empty(), Remediator.GRACE_PERIOD_ONLY, now);
        return outcome.state();
    }

    /**
     * Fires one remediation deadline due by {@code horizon} (the event-time watermark: everything reported up to it has
     * been processed) in its own transaction. Does nothing when another replica holds it, when a report for the
     * subject is being applied right now (the next round retries), or when it is no longer pending.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fireDeadline(long deadlineId, Instant horizon) {
        fire(List.of(deadlineId), horizon);
    }

    /**
     * Fires a chunk of due deadlines in one transaction, as {@link #fireDeadline} would one by one: those held
     * elsewhere or no longer pending are skipped. The chunk's deadlines, their subjects and steps are claimed and read
     * with one statement each into one {@link BatchFacts}, so no deadline asks the database again for its subject, its
     * pending deadline or its steps (in the join storm, a flush and a query per fired deadline were 20 % of the
     * service's CPU). If any of them fails, the whole chunk rolls back and the caller fires them one by one, so one bad
     * subject holds back nobody.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fireDeadlines(List<Long> deadlineIds, Instant horizon) {
        fire(deadlineIds, horizon);
    }

    private void fire(List<Long> deadlineIds, Instant horizon) {
        Instant now = clock.instant();
        BatchFacts chunk = BatchFacts.empty();
        List<RemediationDeadlines.Claimed> claimed = deadlines.claim(chunk, deadlineIds, horizon);
        Map<Long, ComplianceSubject> locked = subjects.byRowIds(
                chunk,
                claimed.stream().map(RemediationDeadlines.Claimed::subjectRowId).toList());
        for (RemediationDeadlines.Claimed one : claimed) {
            ComplianceSubject subject = locked.get(one.subjectRowId());
            if (subject == null) {
                throw new IllegalStateException("deadline " + one.deadline().id() + " has no subject");
            }
            fire(chunk, one.deadline(), subject, now);
        }
    }

    private void fire(BatchFacts chunk, RemediationDeadline deadline, ComplianceSubject subject, Instant now) {
        long deadlineId = deadline.id();
        Outcome outcome =
                switch (deadline.step()) {
                    case ComplianceStateMachine.STEP_BLOCK -> machine.onBlockDue(
                            snapshot(subject), deadline.retireAt());
                    case ComplianceStateMachine.STEP_RETIRE -> machine.onRetireDue(snapshot(subject));
                    default -> machine.onDeadlineExpired(snapshot(subject), deadline.blockAt(), deadline.retireAt());
                };
        if (!RemediationDeadline.SIGN_OUT.equals(deadline.step())) {
            // a later step has no remediation attempt to end: it is done once it fired
            deadlines.close(chunk, deadline, outcome.isNoop() ? DeadlineStatus.CANCELLED : DeadlineStatus.FIRED, now);
        }
        if (outcome.isNoop()) {
            if (!RemediationDeadline.SIGN_OUT.equals(deadline.step())) {
                return;
            }
            // The subject left remediation without this deadline being closed; close it so it is not retried.
            LOG.warnf(
                    "Deadline %d of subject %s found it %s; cancelled",
                    deadlineId, subject.subjectId(), subject.state());
            deadlines.close(chunk, deadline, DeadlineStatus.CANCELLED, now);
            return;
        }
        store(
                chunk,
                subject.ref(),
                Optional.of(subject),
                outcome,
                deadline.causeEventId(),
                Optional.of(deadline),
                Remediator.GRACE_PERIOD_ONLY,
                now);
    }

    /**
     * The app instance did not check in within its policy's offline period before a wipe: its account is signed out
     * of the app with a selective wipe (OFFLINE_TOO_LONG). The caller holds the app instance's row and marks the
     * offline episode as handled in the same transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void offlineTooLong(SubjectRef ref, Violation offline) {
        Instant now = clock.instant();
        BatchFacts alone = BatchFacts.empty();
        Optional<ComplianceSubject> existing = subjects.findForUpdate(alone, ref.tenantId(), ref.subjectId());
        Outcome outcome = machine.onOfflineTooLong(existing.map(this::snapshot), offline);
        store(alone, ref, existing, outcome, Optional.empty(), Optional.empty(), Remediator.GRACE_PERIOD_ONLY, now);
    }

    private void store(
            BatchFacts batch,
            SubjectRef ref,
            Optional<ComplianceSubject> existing,
            Outcome outcome,
            Optional<String> cause,
            Optional<RemediationDeadline> firing,
            Remediator remediator,
            Instant now) {
        if (outcome.isNoop()) {
            return;
        }
        ComplianceSubject subject;
        if (existing.isPresent()) {
            subject = existing.get();
            if (!subject.userId().equals(ref.userId())) {
                subject.reassignUser(ref.userId()); // a device's primary user can change
            }
            subject.moveTo(outcome.state(), json.write(outcome.violations()), now);
        } else {
            subject = new ComplianceSubject(ref, outcome.state(), json.write(outcome.violations()), now);
            subjects.add(batch, subject);
        }
        SubjectRef current = subject.ref();
        for (Effect effect : outcome.effects()) {
            if (touchesDeadlines(effect)) {
                // only when the batch does not hold the subject's deadline
                deadlines.writeBeforeChange(batch, current.tenantId(), current.subjectId());
            }
            apply(batch, current, effect, cause, firing, remediator, outcome, now);
        }
    }

    private void apply(
            BatchFacts batch,
            SubjectRef ref,
            Effect effect,
            Optional<String> cause,
            Optional<RemediationDeadline> firing,
            Remediator remediator,
            Outcome outcome,
            Instant now) {
        List<Violation> violations = outcome.violations();
        if (effect instanceof Effect.AssessedCompliant) {
            record(
                    ref,
                    now,
                    TimelineKind.ASSESSED_COMPLIANT,
                    Detail.of().with("state", SubjectState.COMPLIANT).with("causeEventId", cause));
        } else if (effect instanceof Effect.Failed failed) {
            ComplianceFailed event = ComplianceEvents.failed(ref, failed, cause, now);
            outbox.append(Topics.COMPLIANCE, ref.subjectId(), event);
            record(
                    ref,
                    now,
                    TimelineKind.COMPLIANCE_FAILED,
                    Detail.of()
                            .with("violations", failed.violations())
                            .with("remediationEnabled", failed.remediationEnabled())
                            .with("remediationDueAt", failed.remediationDueAt())
                            .with("eventId", event.getEventId())
                            .with("causeEventId", cause));
        } else if (effect instanceof Effect.RemediationStarted started) {
            startRemediation(batch, ref, started, cause, remediator, violations, now);
        } else if (effect instanceof Effect.RemediationEnded ended) {
            endRemediation(batch, ref, ended, firing, now);
        } else if (effect instanceof Effect.SignOut signOut) {
            SignOutRequired event = ComplianceEvents.signOut(ref, signOut, cause, now);
            outbox.append(Topics.SIGNOUT, ref.userId(), event);
            outbox.afterCommit(() -> meters.signedOut(
                    event.getReason().name(), event.getManagementType().name()));
            record(
                    ref,
                    now,
                    TimelineKind.SIGNED_OUT,
                    Detail.of()
                            .with("state", outcome.state())
                            .with("reason", signOut.reason().name())
                            .with("userId", ref.userId())
                            .with("appIds", ref.signOutAppIds())
                            .with("selectiveWipe", event.getSelectiveWipe())
                            .with("userMessage", event.getUserMessage())
                            .with("eventId", event.getEventId()));
            if (event.getSelectiveWipe()) {
                wipes.requested(event, now);
            }
        } else if (effect instanceof Effect.Restored restored) {
            ComplianceRestored event = ComplianceEvents.restored(ref, cause, now);
            outbox.append(Topics.COMPLIANCE, ref.subjectId(), event);
            record(
                    ref,
                    now,
                    TimelineKind.COMPLIANCE_RESTORED,
                    Detail.of()
                            .with("state", SubjectState.COMPLIANT)
                            .with("from", restored.from())
                            .with("eventId", event.getEventId())
                            .with("causeEventId", cause));
            // a compliance policy's later step (BLOCK, RETIRE) still waiting is no longer needed
            deadlines.cancelPending(batch, ref.tenantId(), ref.subjectId(), now);
        } else if (effect instanceof Effect.ViolationsChanged changed) {
            record(
                    ref,
                    now,
                    TimelineKind.VIOLATIONS_CHANGED,
                    Detail.of().with("violations", changed.violations()).with("causeEventId", cause));
        } else if (effect instanceof Effect.Blocked blocked) {
            record(
                    ref,
                    now,
                    TimelineKind.BLOCKED,
                    Detail.of()
                            .with("state", SubjectState.BLOCKED)
                            .with("why", blocked.why())
                            .with("violations", violations)
                            .with("causeEventId", cause));
        } else if (effect instanceof Effect.EscalationScheduled escalation) {
            RemediationDeadline step = deadlines.schedule(
                    batch,
                    ref.tenantId(),
                    ref.subjectId(),
                    escalation.step(),
                    escalation.dueAt(),
                    Optional.empty(),
                    escalation.retireAt(),
                    Envelope.newEventId(),
                    cause,
                    now);
            record(
                    ref,
                    now,
                    TimelineKind.ESCALATION_SCHEDULED,
                    Detail.of()
                            .with("step", escalation.step())
                            .with("dueAt", escalation.dueAt())
                            .with("deadlineId", step.id()));
        } else if (effect instanceof Effect.Retired) {
            record(ref, now, TimelineKind.DEVICE_RETIRED, Detail.of().with("causeEventId", cause));
        } else {
            throw new IllegalStateException("unhandled effect " + effect);
        }
    }

    /**
     * Schedules the deadline and sends the path's commands, one RemediationAttempted PENDING each; without commands
     * (the baseline) the single step is the grace period itself, under the deadline's attemptId.
     */
    private void startRemediation(
            BatchFacts batch,
            SubjectRef ref,
            Effect.RemediationStarted started,
            Optional<String> cause,
            Remediator remediator,
            List<Violation> violations,
            Instant now) {
        RemediationDeadline deadline = deadlines.schedule(
                batch,
                ref.tenantId(),
                ref.subjectId(),
                RemediationDeadline.SIGN_OUT,
                started.dueAt(),
                started.blockAt(),
                started.retireAt(),
                Envelope.newEventId(),
                cause,
                now);
        List<RemediationCommand> commands =
                remediator.commands(ref.tenantId(), ref.subjectId(), ref.userId(), violations, started.dueAt(), now);
        List<RemediationSteps.Step> planned = commands.isEmpty()
                ? List.of(new RemediationSteps.Step(deadline.attemptId(), ComplianceEvents.GRACE_PERIOD))
                : commands.stream()
                        .map(command -> new RemediationSteps.Step(command.attemptId(), command.action()))
                        .toList();
        commands.forEach(command -> outbox.append(command.topic(), command.key(), command.command()));
        for (RemediationSteps.Step step : planned) {
            steps.add(batch, deadline, step);
            RemediationAttempted event = ComplianceEvents.attempt(
                    ref, step, deadline.dueAt(), RemediationStatus.PENDING, Optional.empty(), now);
            outbox.append(Topics.COMPLIANCE, ref.subjectId(), event);
            record(
                    ref,
                    now,
                    TimelineKind.REMEDIATION_STARTED,
                    Detail.of()
                            .with("state", SubjectState.NON_COMPLIANT_REMEDIATING)
                            .with("attemptId", step.attemptId())
                            .with("action", step.action())
                            .with("dueAt", started.dueAt())
                            .with("eventId", event.getEventId()));
        }
    }

    /**
     * Closes the running attempt: the deadline being fired becomes FIRED, a pending one that is no longer needed
     * CANCELLED; either way RemediationAttempted reports the attempt's outcome under its attemptId.
     */
    private void endRemediation(
            BatchFacts batch,
            SubjectRef ref,
            Effect.RemediationEnded ended,
            Optional<RemediationDeadline> firing,
            Instant now) {
        Optional<RemediationDeadline> deadline;
        if (firing.isPresent()) {
            deadlines.close(batch, firing.get(), DeadlineStatus.FIRED, now);
            deadline = firing;
        } else {
            deadline = deadlines.cancelPending(batch, ref.tenantId(), ref.subjectId(), now);
        }
        if (deadline.isEmpty()) {
            LOG.warnf("Subject %s ended remediation without a pending deadline", ref.subjectId());
            return;
        }
        RemediationStatus status = ended.succeeded() ? RemediationStatus.SUCCEEDED : RemediationStatus.FAILED;
        List<RemediationSteps.Step> ran = steps.of(batch, deadline.get());
        if (ran.isEmpty()) {
            // a deadline scheduled before steps were recorded: its one step was the grace period
            ran = List.of(new RemediationSteps.Step(deadline.get().attemptId(), ComplianceEvents.GRACE_PERIOD));
        }
        for (RemediationSteps.Step step : ran) {
            RemediationAttempted event = ComplianceEvents.attempt(
                    ref,
                    step,
                    deadline.get().dueAt(),
                    status,
                    ended.succeeded() ? Optional.empty() : Optional.of(ended.detail()),
                    now);
            outbox.append(Topics.COMPLIANCE, ref.subjectId(), event);
            record(
                    ref,
                    now,
                    TimelineKind.REMEDIATION_ENDED,
                    Detail.of()
                            .with("attemptId", step.attemptId())
                            .with("action", step.action())
                            .with("status", status.name())
                            .with("detail", ended.detail())
                            .with("eventId", event.getEventId()));
        }
    }

    private static boolean touchesDeadlines(Effect effect) {
        return effect instanceof Effect.RemediationStarted
                || effect instanceof Effect.RemediationEnded
                || effect instanceof Effect.Restored
                || effect instanceof Effect.EscalationScheduled;
    }

    private void record(SubjectRef ref, Instant now, TimelineKind kind, Detail detail) {
        timeline.append(ref.tenantId(), ref.subjectId(), now, kind, detail.asMap());
    }

    private SubjectSnapshot snapshot(ComplianceSubject subject) {
        return new SubjectSnapshot(subject.state(), json.violations(subject.violationsJson()));
    }
}
