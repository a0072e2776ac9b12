package dev.bulwark.policy.configuration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Orders a tenant's profile changes against the batches that enroll its devices: a PostgreSQL transaction-scoped
 * advisory lock per tenant, exclusive for a profile change (which recomputes every device it can see), shared for a
 * batch of device events with enrollments (whose recompute reads the profiles it can see). Whoever comes second waits
 * for the first to commit and then sees what it wrote, so a device enrolled while a profile is created is never missed
 * by both. Taken before any device row lock.
 */
@ApplicationScoped
public class TenantProfileLocks {

    /** The first key of the two-key advisory locks ("prof"), so they cannot meet another use of advisory locks. */
    private static final int NAMESPACE = 0x70726f66;

    private final EntityManager entityManager;

    TenantProfileLocks(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Shares the locks of these tenants until the transaction ends, in tenant id order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void shared(Collection<String> tenantIds) {
        for (String tenantId : new TreeSet<>(tenantIds)) {
            entityManager
                    .createNativeQuery(
                            "select cast(pg_advisory_xact_lock_shared(" + NAMESPACE + ", hashtext(?1))" + " as text)")
                    .setParameter(1, tenantId)
                    .getSingleResult();
        }
    }

    /** Holds the tenant's lock alone until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    void exclusive(String tenantId) {
        entityManager
                .createNativeQuery("select cast(pg_advisory_xact_lock(" + NAMESPACE + ", hashtext(?1)) as text)")
                .setParameter(1, tenantId)
                .getSingleResult();
    }
}
