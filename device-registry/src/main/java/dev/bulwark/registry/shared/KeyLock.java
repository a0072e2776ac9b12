package dev.bulwark.registry.shared;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.List;

/**
 * Serialises "look, then insert" on one natural key (a user id, a piece of hardware, an app installation) across
 * concurrent requests and replicas, with a PostgreSQL advisory lock held until the transaction ends. Without it two
 * simultaneous enrollments of one device would both pass the check and the second would fail as a 500.
 */
@ApplicationScoped
public class KeyLock {

    /** The keys in one order whatever the caller's, so two groups locking overlapping keys wait rather than deadlock. */
    private static final String LOCK_ALL = "select count(pg_advisory_xact_lock(hashtextextended(k, 0)))"
            + " from (select distinct k from unnest(cast(?1 as text[])) as k order by k) as sorted";

    private final EntityManager entityManager;

    KeyLock(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Blocks until no other transaction holds the lock on {@code scope} + {@code tenantId} + {@code key}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String scope, String tenantId, String key) {
        lockAll(List.of(name(scope, tenantId, key)));
    }

    /**
     * The locks of {@link #lock} on every key of a group, in one statement: {@code keys} are {@link #name} values. Takes
     * them in sorted order, so a group never holds one key while it waits for a smaller one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAll(Collection<String> keys) {
        if (!keys.isEmpty()) {
            entityManager
                    .createNativeQuery(LOCK_ALL)
                    .setParameter(1, keys.toArray(String[]::new))
                    .getSingleResult();
        }
    }

    /** The lock's name for a key of a scope in a tenant. */
    public static String name(String scope, String tenantId, String key) {
        return scope + "\u001f" + tenantId + "\u001f" + key;
    }
}
