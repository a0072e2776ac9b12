package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.support.TransactionMemo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Finds and stores {@link ComplianceSubject}s, always within one tenant. */
@ApplicationScoped
public class ComplianceSubjects {

    private static final String HELD = "compliance-subjects.locked";

    private final EntityManager entityManager;
    private final TransactionMemo memo;

    ComplianceSubjects(EntityManager entityManager, TransactionMemo memo) {
        this.entityManager = entityManager;
        this.memo = memo;
    }

    /**
     * Locks the rows of the tenant's existing subjects among {@code subjectIds} with one query, in subject-id order, and
     * keeps them for {@link #findForUpdate} until the transaction ends. A batch of
     * check-ins and a policy's fan-out both lock this way, in the same order, so they wait for each other but never
     * deadlock, and neither pays a round trip per subject.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAll(String tenantId, Collection<String> subjectIds) {
        if (subjectIds.isEmpty()) {
            return;
        }
        List<ComplianceSubject> locked = entityManager
                .createQuery(
                        "from ComplianceSubject s where s.tenantId = :tenant and s.subjectId in :subjects"
                                + " order by s.subjectId",
                        ComplianceSubject.class)
                .setParameter("tenant", tenantId)
                .setParameter("subjects", new TreeSet<>(subjectIds))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        Map<String, ComplianceSubject> held = memo.map(HELD);
        locked.forEach(subject -> held.put(key(tenantId, subject.subjectId()), subject));
    }

    public Optional<ComplianceSubject> find(String tenantId, String subjectId) {
        return query(tenantId, subjectId, LockModeType.NONE);
    }

    /**
     * Finds the subject and locks its row until the transaction ends, so a report and a firing deadline for the same
     * subject never decide on the same old state.
     */
    Optional<ComplianceSubject> findForUpdate(String tenantId, String subjectId) {
        Map<String, ComplianceSubject> held = memo.map(HELD);
        ComplianceSubject locked = held == null ? null : held.get(key(tenantId, subjectId));
        if (locked != null && entityManager.contains(locked)) {
            return Optional.of(locked);
        }
        return query(tenantId, subjectId, LockModeType.PESSIMISTIC_WRITE);
    }

    Optional<ComplianceSubject> byRowId(long id) {
        return Optional.ofNullable(entityManager.find(ComplianceSubject.class, id));
    }

    void add(ComplianceSubject subject) {
        entityManager.persist(subject);
    }

    private static String key(String tenantId, String subjectId) {
        return tenantId + "|" + subjectId;
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
