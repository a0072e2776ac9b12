package dev.bulwark.compliance.evaluation;

import dev.bulwark.compliance.support.AdvisoryLockKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Orders, per tenant, the storing of a policy change against the transactions that judge the tenant's subjects on its
 * policies: a PostgreSQL transaction-scoped advisory lock per tenant, shared by the judges (a batch of check-ins, a
 * directory change) and exclusive for the short transaction that stores a PolicyChanged and plans its fan-out.
 *
 * <p>Without it a subject's first check-in could cross a policy change unseen by both sides: the check-in judged on the
 * policies it read before the change committed, the change's fan-out not seeing the check-in that was not yet
 * committed. With it, a judge that takes the lock after the change reads the new policies, and a change that takes it
 * after a judge waits for the judge's commit, so its fan-out (which starts after the change commits) sees what the
 * judge wrote. The fan-out itself does not take this lock, so check-ins keep flowing while it runs.
 */
@ApplicationScoped
public class TenantPolicyLocks {

    /** The first key of the two-key advisory locks; distinct from the directory members' locks. */
    public static final int NAMESPACE = 0x506f6c63;

    private final EntityManager entityManager;

    TenantPolicyLocks(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Shares the tenants' locks until the transaction ends (taken in key order, one query). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void shared(Collection<String> tenantIds) {
        if (tenantIds.isEmpty()) {
            return;
        }
        String keys = tenantIds.stream()
                .map(TenantPolicyLocks::key)
                .distinct()
                .sorted()
                .map(String::valueOf)
                .collect(Collectors.joining(","));
        entityManager
                .createNativeQuery("select cast(pg_advisory_xact_lock_shared(" + NAMESPACE + ", k) as text)"
                        + " from (select unnest(array[" + keys + "]) as k order by 1) as ordered")
                .getResultList();
    }

    /** Takes the tenant's lock alone until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void exclusive(String tenantId) {
        entityManager
                .createNativeQuery(
                        "select cast(pg_advisory_xact_lock(" + NAMESPACE + ", " + key(tenantId) + ") as text)")
                .getResultList();
    }

    /** The second key of the tenant's lock. */
    public static int key(String tenantId) {
        return AdvisoryLockKeys.of(tenantId);
    }
}
