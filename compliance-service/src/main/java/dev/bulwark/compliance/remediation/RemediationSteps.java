package dev.bulwark.compliance.remediation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;

/** The steps (commands) of each remediation attempt, so that its end can report every step's outcome. */
@ApplicationScoped
public class RemediationSteps {

    private final EntityManager entityManager;

    RemediationSteps(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** A step of a running remediation: its attemptId (= commandId) and action. */
    public record Step(String attemptId, String action) {}

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(RemediationDeadline deadline, Step step) {
        entityManager
                .createNativeQuery("insert into remediation_step (deadline_id, attempt_id, action) values (?1, ?2, ?3)")
                .setParameter(1, deadline.id())
                .setParameter(2, step.attemptId())
                .setParameter(3, step.action())
                .executeUpdate();
    }

    @SuppressWarnings("unchecked")
    public List<Step> of(RemediationDeadline deadline) {
        List<Object[]> rows = entityManager
                .createNativeQuery("select attempt_id, action from remediation_step where deadline_id = ?1 order by id")
                .setParameter(1, deadline.id())
                .getResultList();
        return rows.stream()
                .map(row -> new Step((String) row[0], (String) row[1]))
                .toList();
    }
}
