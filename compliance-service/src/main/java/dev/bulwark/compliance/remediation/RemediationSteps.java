package dev.bulwark.compliance.remediation;

import dev.bulwark.compliance.evaluation.BatchFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The steps (commands) of each remediation attempt, so that its end can report every step's outcome. */
@ApplicationScoped
public class RemediationSteps {

    private final EntityManager entityManager;

    RemediationSteps(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** A step of a running remediation: its attemptId (= commandId) and action. */
    public record Step(String attemptId, String action) {}

    /**
     * Written with the batch's other rows at its next flush (a JDBC batch), after its deadline; kept in {@code batch},
     * so the attempt's end reads it from there.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void add(BatchFacts batch, RemediationDeadline deadline, Step step) {
        entityManager.persist(new RemediationStep(deadline, step.attemptId(), step.action()));
        batch.stepAdded(deadline.id(), step);
    }

    /**
     * Reads the steps of the {@code deadlines} a batch holds, with one statement, into {@code batch}: the end of their
     * attempts then needs no query (nor a flush before one) per subject.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public void readFor(BatchFacts batch, Collection<RemediationDeadline> deadlines) {
        if (deadlines.isEmpty()) {
            return;
        }
        Map<Long, List<Step>> byDeadline = new HashMap<>();
        deadlines.forEach(deadline -> byDeadline.put(deadline.id(), new ArrayList<>()));
        List<Object[]> rows = entityManager
                .createNativeQuery("select deadline_id, attempt_id, action from remediation_step"
                        + " where deadline_id = any (cast(?1 as bigint[])) order by id")
                .setParameter(1, byDeadline.keySet().toArray(Long[]::new))
                .getResultList();
        rows.forEach(
                row -> byDeadline.get(((Number) row[0]).longValue()).add(new Step((String) row[1], (String) row[2])));
        byDeadline.forEach(batch::stepsRead);
    }

    /** The steps of the deadline, in the order they were added: from {@code batch} when it holds them. */
    public List<Step> of(BatchFacts batch, RemediationDeadline deadline) {
        return batch.stepsOf(deadline.id()).orElseGet(() -> of(deadline));
    }

    @SuppressWarnings("unchecked")
    private List<Step> of(RemediationDeadline deadline) {
        List<Object[]> rows = entityManager
                .createNativeQuery("select attempt_id, action from remediation_step where deadline_id = ?1 order by id")
                .setParameter(1, deadline.id())
                .getResultList();
        return rows.stream()
                .map(row -> new Step((String) row[0], (String) row[1]))
                .toList();
    }
}
