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

    /** Written with the batch's other rows at its next flush (a JDBC batch), after its deadline. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(RemediationDeadline deadline, Step step) {
        entityManager.persist(new RemediationStep(deadline, step.attemptId(), step.action()));
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
