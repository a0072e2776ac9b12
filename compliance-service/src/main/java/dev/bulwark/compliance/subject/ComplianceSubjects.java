package dev.bulwark.compliance.subject;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.Optional;

/** Finds and stores {@link ComplianceSubject}s, always within one tenant. */
@ApplicationScoped
public class ComplianceSubjects {

    private final EntityManager entityManager;

    ComplianceSubjects(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Optional<ComplianceSubject> find(String tenantId, String subjectId) {
        return query(tenantId, subjectId, LockModeType.NONE);
    }

    /**
     * Finds the subject and locks its row until the transaction ends, so a report and a firing deadline for the same
     * subject never decide on the same old state.
     */
    Optional<ComplianceSubject> findForUpdate(String tenantId, String subjectId) {
        return query(tenantId, subjectId, LockModeType.PESSIMISTIC_WRITE);
    }

    Optional<ComplianceSubject> byRowId(long id) {
        return Optional.ofNullable(entityManager.find(ComplianceSubject.class, id));
    }

    void add(ComplianceSubject subject) {
        entityManager.persist(subject);
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
