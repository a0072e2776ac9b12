package dev.bulwark.compliance.remediation;

import dev.bulwark.compliance.evaluation.BatchFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Schedules, cancels and claims remediation deadlines, always in the caller's transaction. */
@ApplicationScoped
public class RemediationDeadlines {

    private final EntityManager entityManager;

    private final RemediationSteps steps;

    RemediationDeadlines(EntityManager entityManager, RemediationSteps steps) {
        this.entityManager = entityManager;
        this.steps = steps;
    }

    /**
     * Reads the pending deadlines of the tenant's {@code subjectIds} with one statement and keeps them in {@code batch},
     * with the subjects that have none, so the batch's changes to deadlines ask the database nothing per subject. The
     * caller holds the subjects' rows locked ({@code ComplianceSubjects#lockAll}): until it commits, no other
     * transaction schedules, cancels or claims a deadline of theirs (a claim locks the subject's row too).
     *
     * <p>A lateral subquery per sorted id with {@code limit 1} (there is at most one pending deadline per subject) is
     * one probe of the {@code remediation_deadline_one_pending} index each, whatever the statistics of a table that
     * just received thousands of rows say (see {@code KeyedRowLocks}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void readPending(BatchFacts batch, String tenantId, Collection<String> subjectIds) {
        if (subjectIds.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        List<RemediationDeadline> pending = entityManager
                .createNativeQuery(
                        "select d.* from unnest(cast(?2 as text[])) as keys(k) cross join lateral"
                                + " (select * from remediation_deadline where tenant_id = ?1 and subject_id = keys.k"
                                + " and status = 'PENDING' limit 1) d",
                        RemediationDeadline.class)
                .setParameter(1, tenantId)
                .setParameter(2, new TreeSet<>(subjectIds).toArray(String[]::new))
                .getResultList();
        batch.pendingDeadlines().locked(tenantId, subjectIds, pending, RemediationDeadline::subjectId);
        // and their steps, which the end of an attempt reports
        steps.readFor(batch, pending);
    }

    /**
     * Writes what the transaction changed so far when the batch does not hold the subject's pending deadline: it is
     * then queried, and the query must see this transaction's changes while the batch's session does not flush before
     * each query. Closing a deadline the batch holds needs no write first (the batch knows its steps and that the
     * subject has no pending deadline after it), and {@link #schedule} writes what it must before its insert. A
     * check-in batch that starts or ends the remediation of hundreds of subjects thus writes once, at commit, instead
     * of once per subject.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void writeBeforeChange(BatchFacts batch, String tenantId, String subjectId) {
        if (!batch.pendingDeadlines().knows(tenantId, subjectId)) {
            entityManager.flush();
            batch.changesWritten();
        }
    }

    /**
     * Schedules a remediation deadline ({@code step} SIGN_OUT) or a compliance policy's later step (BLOCK, RETIRE), with
     * the times of the steps after it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public RemediationDeadline schedule(
            BatchFacts batch,
            String tenantId,
            String subjectId,
            String step,
            Instant dueAt,
            Optional<Instant> blockAt,
            Optional<Instant> retireAt,
            String attemptId,
            Optional<String> causeEventId,
            Instant now) {
        if (batch.deadlineChangedUnwritten(tenantId, subjectId)) {
            // a deadline of the subject was closed in this transaction and not written yet: write that first (at most
            // one pending row per subject, and Hibernate writes inserts before updates)
            entityManager.flush();
            batch.changesWritten();
        }
        RemediationDeadline deadline = new RemediationDeadline(
                tenantId, subjectId, step, dueAt, blockAt, retireAt, attemptId, causeEventId, now);
        entityManager.persist(deadline);
        batch.pendingDeadlines().add(tenantId, subjectId, deadline);
        batch.stepsRead(deadline.id(), List.of());
        batch.deadlineChanged(tenantId, subjectId);
        return deadline;
    }

    /** Cancels the subject's running remediation, if any (it became compliant in time, or left remediation). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<RemediationDeadline> cancelPending(
            BatchFacts batch, String tenantId, String subjectId, Instant now) {
        Optional<RemediationDeadline> pending = batch.pendingDeadlines().knows(tenantId, subjectId)
                ? batch.pendingDeadlines().get(tenantId, subjectId)
                : pending(tenantId, subjectId);
        pending.ifPresent(deadline -> close(batch, deadline, DeadlineStatus.CANCELLED, now));
        return pending;
    }

    /** The subject's running remediation deadline (step SIGN_OUT), not a later step of its policy. */
    public Optional<RemediationDeadline> pendingRemediation(String tenantId, String subjectId) {
        return pending(tenantId, subjectId).filter(d -> RemediationDeadline.SIGN_OUT.equals(d.step()));
    }

    public Optional<RemediationDeadline> pending(String tenantId, String subjectId) {
        return entityManager
                .createQuery(
                        "from RemediationDeadline d where d.tenantId = :tenant and d.subjectId = :subject"
                                + " and d.status = :pending",
                        RemediationDeadline.class)
                .setParameter("tenant", tenantId)
                .setParameter("subject", subjectId)
                .setParameter("pending", DeadlineStatus.PENDING)
                .getResultStream()
                .findFirst();
    }

    /** Where a round of the deadline job has got to: the last deadline it looked at, in (due time, id) order. */
    public record DueCursor(Instant dueAt, long id) {}

    /** A pending deadline due by the horizon, as the deadline job pages through them. */
    public record Due(long id, Instant dueAt) {
        public DueCursor cursor() {
            return new DueCursor(dueAt, id);
        }
    }

    /**
     * Up to {@code limit} pending deadlines due at or before {@code horizon} (the event-time watermark), oldest first,
     * after {@code after} in (due time, id) order when given. Paging by that order lets one round of the job go
     * through every due deadline exactly once, skipping the ones it could not claim, so a backlog drains in one round
     * instead of one page per poll interval.
     */
    @Transactional
    public List<Due> overdue(Instant horizon, Optional<DueCursor> after, int limit) {
        String afterClause =
                after.isPresent() ? " and (d.dueAt > :afterDue or (d.dueAt = :afterDue and d.id > :afterId))" : "";
        var query = entityManager
                .createQuery(
                        "select d.id, d.dueAt from RemediationDeadline d where d.status = :pending and d.dueAt <= :now"
                                + afterClause
                                + " order by d.dueAt, d.id",
                        Object[].class)
                .setParameter("pending", DeadlineStatus.PENDING)
                .setParameter("now", horizon)
                .setMaxResults(limit);
        after.ifPresent(cursor -> query.setParameter("afterDue", cursor.dueAt()).setParameter("afterId", cursor.id()));
        return query.getResultList().stream()
                .map(row -> new Due((Long) row[0], (Instant) row[1]))
                .toList();
    }

    /**
     * Locks the due deadlines among {@code deadlineIds} together with their subjects' rows, with one statement, skipping
     * each one another transaction holds (either row): a replica firing the same deadline, or a report being applied
     * to the subject right now. Those no longer pending or not due by {@code horizon} (the event-time watermark) are
     * left out too. The claimed deadlines are their subjects' pending ones (one per subject): they go into {@code
     * batch} with their steps, so firing them asks the database nothing more per deadline. In id order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<Claimed> claim(BatchFacts batch, Collection<Long> deadlineIds, Instant horizon) {
        if (deadlineIds.isEmpty()) {
            return List.of();
        }
        List<Object[]> rows = entityManager
                .createNativeQuery("select d.id, s.id from remediation_deadline d"
                        + " join compliance_subject s on s.tenant_id = d.tenant_id and s.subject_id = d.subject_id"
                        + " where d.id = any (cast(?1 as bigint[])) and d.status = 'PENDING' and d.due_at <= ?2"
                        + " order by d.id for update of d, s skip locked")
                .setParameter(1, new TreeSet<>(deadlineIds).toArray(Long[]::new))
                .setParameter(2, horizon)
                .getResultList();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Long> subjectRowOf = new LinkedHashMap<>();
        rows.forEach(row -> subjectRowOf.put(((Number) row[0]).longValue(), ((Number) row[1]).longValue()));
        Map<Long, RemediationDeadline> claimed = new HashMap<>();
        entityManager
                .createQuery("from RemediationDeadline d where d.id in :ids", RemediationDeadline.class)
                .setParameter("ids", subjectRowOf.keySet())
                .getResultList()
                .forEach(deadline -> claimed.put(deadline.id(), deadline));
        List<Claimed> page = new ArrayList<>(subjectRowOf.size());
        subjectRowOf.forEach((id, subjectRowId) -> {
            RemediationDeadline deadline = claimed.get(id);
            batch.pendingDeadlines().add(deadline.tenantId(), deadline.subjectId(), deadline);
            page.add(new Claimed(deadline, subjectRowId));
        });
        steps.readFor(batch, claimed.values());
        return page;
    }

    /**
     * Closes the deadline (FIRED when it signed the subject out or ran its step, CANCELLED when it was no longer needed)
     * and keeps in {@code batch} that its subject has no pending deadline any more.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void close(BatchFacts batch, RemediationDeadline deadline, DeadlineStatus outcome, Instant now) {
        deadline.close(outcome, now);
        batch.pendingDeadlines().none(deadline.tenantId(), deadline.subjectId());
        batch.deadlineChanged(deadline.tenantId(), deadline.subjectId());
    }

    /** A deadline locked for firing, with the row id of its (also locked) subject. */
    public record Claimed(RemediationDeadline deadline, long subjectRowId) {}
}
