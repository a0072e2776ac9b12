package dev.bulwark.registry.shared;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Serialises "look, then insert" on one natural key (a user id, a piece of hardware, an app installation) across
 * concurrent requests and replicas, with a PostgreSQL advisory lock held until the transaction ends. Without it two
 * simultaneous enrollments of one device would both pass the check and the second would fail as a 500.
 */
@ApplicationScoped
public class KeyLock {

    private final EntityManager entityManager;

    KeyLock(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Blocks until no other transaction holds the lock on {@code scope} + {@code tenantId} + {@code key}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String scope, String tenantId, String key) {
        entityManager
                .createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(?1, 0))) as locked")
                .setParameter(1, scope + "\u001f" + tenantId + "\u001f" + key)
                .getSingleResult();
    }
}
