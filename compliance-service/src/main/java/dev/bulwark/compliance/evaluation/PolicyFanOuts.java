package dev.bulwark.compliance.evaluation;

import dev.bulwark.compliance.access.ConditionalAccess;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A policy change's re-evaluation of every subject of its path in the tenant, as a durable plan ({@code
 * policy_fan_out}) carried out chunk by chunk. The plan is written in the transaction that stores the policy; each chunk
 * then runs in its own transaction, which locks the plan's row (skipping it when another worker holds it), evaluates the
 * next page of subjects on the policies as they stand and moves the plan's cursor — or deletes the plan when no subject
 * is left. So a fan-out over 100,000 subjects holds no subject's lock for longer than its chunk, check-ins keep flowing,
 * and a process that dies midway leaves a plan that the next round finishes from where it stood: every subject is
 * evaluated at least once after the change, and evaluation is idempotent (an unchanged verdict writes nothing). A
 * conditional-access rule's change judges no compliance: its chunks only record the access decisions it flips
 * ({@link ConditionalAccess#flipsAfter}).
 */
@ApplicationScoped
public class PolicyFanOuts {

    private static final Logger LOG = Logger.getLogger(PolicyFanOuts.class);

    /** The subjects a fan-out covers. */
    public enum Path {
        APP_PROTECTION,
        DEVICE_COMPLIANCE,
        /** A conditional-access rule change: every evaluated subject, for the timeline of those whose access flips. */
        CONDITIONAL_ACCESS
    }

    private final EntityManager entityManager;
    private final Reevaluation reevaluation;
    private final ConditionalAccess conditionalAccess;
    private final Clock clock;

    PolicyFanOuts(
            EntityManager entityManager, Reevaluation reevaluation, ConditionalAccess conditionalAccess, Clock clock) {
        this.entityManager = entityManager;
        this.reevaluation = reevaluation;
        this.conditionalAccess = conditionalAccess;
        this.clock = clock;
    }

    /** Plans the tenant's fan-out in the caller's transaction; returns the plan's id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long plan(String tenantId, Path path, String causeEventId) {
        return ((Number) entityManager
                        .createNativeQuery("insert into policy_fan_out (tenant_id, kind, cause_event_id, planned_at)"
                                + " values (?1, ?2, ?3, ?4) returning id")
                        .setParameter(1, tenantId)
                        .setParameter(2, path.name())
                        .setParameter(3, causeEventId)
                        .setParameter(4, Timestamp.from(clock.instant()))
                        .getSingleResult())
                .longValue();
    }

    /**
     * Carries out the plan's remaining chunks, each in its own transaction, until it is done or another worker holds
     * it (that worker goes on with it).
     */
    public void run(long planId) {
        while (Boolean.TRUE.equals(QuarkusTransaction.requiringNew().call(() -> nextChunk(planId)))) {
            // one chunk per transaction
        }
    }

    /** The plans left pending, oldest first: those a process that died did not finish. */
    @Scheduled(
            identity = "policy-fan-outs",
            every = "${bulwark.compliance.fan-out.poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void finishPending() {
        List<Long> pending = QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("select id from policy_fan_out order by id", Long.class)
                .getResultList());
        for (Long id : pending) {
            try {
                run(id);
            } catch (RuntimeException e) {
                // left pending: the next round tries again from the plan's cursor
                LOG.warnf(e, "Could not carry out policy fan-out %d", id);
            }
        }
    }

    /** Does the plan's next chunk; false when the plan is done, gone, or held by another worker. */
    private boolean nextChunk(long planId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select tenant_id, kind, cause_event_id, after_subject from policy_fan_out"
                        + " where id = ?1 for update skip locked")
                .setParameter(1, planId)
                .getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        Object[] plan = rows.get(0);
        String tenantId = (String) plan[0];
        Path path = Path.valueOf((String) plan[1]);
        Optional<String> cause = Optional.of((String) plan[2]);
        Optional<String> after = Optional.ofNullable((String) plan[3]);
        Optional<String> last =
                switch (path) {
                    case APP_PROTECTION -> reevaluation.appInstancesAfter(tenantId, after, cause);
                    case DEVICE_COMPLIANCE -> reevaluation.devicesAfter(tenantId, after, cause);
                    case CONDITIONAL_ACCESS -> conditionalAccess.flipsAfter(planId, tenantId, after, cause.get());
                };
        if (last.isEmpty()) {
            entityManager
                    .createNativeQuery("delete from policy_fan_out where id = ?1")
                    .setParameter(1, planId)
                    .executeUpdate();
            LOG.debugf("Policy fan-out %d of tenant %s done", planId, tenantId);
            return false;
        }
        entityManager
                .createNativeQuery("update policy_fan_out set after_subject = ?2 where id = ?1")
                .setParameter(1, planId)
                .setParameter(2, last.get())
                .executeUpdate();
        return true;
    }
}
