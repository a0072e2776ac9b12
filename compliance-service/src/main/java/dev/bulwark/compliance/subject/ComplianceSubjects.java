package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.evaluation.BatchFacts;
import dev.bulwark.compliance.remediation.RemediationDeadlines;
import dev.bulwark.compliance.support.KeyedRowLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Finds and stores {@link ComplianceSubject}s, always within one tenant. */
@ApplicationScoped
public class ComplianceSubjects {

    private final EntityManager entityManager;
    private final RemediationDeadlines deadlines;

    ComplianceSubjects(EntityManager entityManager, RemediationDeadlines deadlines) {
        this.entityManager = entityManager;
        this.deadlines = deadlines;
    }

    /**
     * Locks the rows of the tenant's existing subjects among {@code subjectIds} with one query, in subject-id order, and
     * keeps them in {@code batch} for {@link #findForUpdate} until the transaction ends (an id without a row is kept as
     * new). A batch of check-ins and a policy's fan-out both lock this way, in the same order, so they wait for each
     * other but never deadlock, and neither pays a round trip per subject.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAll(BatchFacts batch, String tenantId, Collection<String> subjectIds) {
        if (subjectIds.isEmpty()) {
            return;
        }
        // native, with the ids as one array: the statement text is the same whatever the batch's size, so neither
        // Hibernate (an HQL "in :list" is translated again for every list length) nor PostgreSQL parses it per batch
        @SuppressWarnings("unchecked")
        List<ComplianceSubject> locked = entityManager
                .createNativeQuery(KeyedRowLocks.statement("compliance_subject", "subject_id"), ComplianceSubject.class)
                .setParameter(1, tenantId)
                .setParameter(2, new TreeSet<>(subjectIds).toArray(String[]::new))
                .getResultList();
        batch.subjects().locked(tenantId, subjectIds, locked, ComplianceSubject::subjectId);
        // and their pending deadlines, which no one else can change now
        deadlines.readPending(batch, tenantId, subjectIds);
    }

    public Optional<ComplianceSubject> find(String tenantId, String subjectId) {
        return query(tenantId, subjectId, LockModeType.NONE);
    }

    /**
     * The subject with its row locked until the transaction ends, so a report and a firing deadline for the same
     * subject never decide on the same old state: the row {@code batch} holds, else locked now.
     */
    Optional<ComplianceSubject> findForUpdate(BatchFacts batch, String tenantId, String subjectId) {
        if (batch.subjects().knows(tenantId, subjectId)) {
            return batch.subjects().get(tenantId, subjectId);
        }
        Optional<ComplianceSubject> found = query(tenantId, subjectId, LockModeType.PESSIMISTIC_WRITE);
        found.ifPresent(subject -> batch.subjects().add(tenantId, subjectId, subject));
        return found;
    }

    /** The subjects of these row ids (locked by the caller), kept in {@code batch}: one query. */
    Map<Long, ComplianceSubject> byRowIds(BatchFacts batch, Collection<Long> ids) {
        Map<Long, ComplianceSubject> found = new HashMap<>();
        if (!ids.isEmpty()) {
            entityManager
                    .createQuery("from ComplianceSubject s where s.id in :ids", ComplianceSubject.class)
                    .setParameter("ids", Set.copyOf(ids))
                    .getResultList()
                    .forEach(subject -> {
                        found.put(subject.id(), subject);
                        batch.subjects().add(subject.tenantId(), subject.subjectId(), subject);
                    });
        }
        return found;
    }

    void add(BatchFacts batch, ComplianceSubject subject) {
        entityManager.persist(subject);
        batch.subjects().add(subject.tenantId(), subject.subjectId(), subject);
    }

    private Optional<ComplianceSubject> query(String tenantId, String subjectId, LockModeType lock) {
        return entityManager
                .createQuery(
                        "from ComplianceSubject s where s.tenantId = :tenant and s.subjectId = :subject",
                        ComplianceSubject.class)
                .setParameter("tenant", tenantId)
                .setParameter("subject", subjectId)
                .setLockMode(lock)
                .getResultStream()
                .findFirst();
    }
}
