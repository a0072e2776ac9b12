package dev.bulwark.policy.support;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Version counters of what a sign-in answer depends on, so a pre-rendered answer can tell it is still current: one per
 * tenant (its app protection policies and conditional-access rules) and one per account (licence, user groups,
 * sign-outs, PINs). Every in-memory change bumps the counter after it is made, and an answer is rendered after its
 * counters are read, so an answer tagged with the current counters never predates a change.
 *
 * <p>Accounts share a fixed number of counters (hashed stripes), so memory stays bounded whatever the number of
 * users: a change to one account also retires the answers of the few accounts on its stripe — an extra miss, never a
 * stale answer.
 */
@ApplicationScoped
public class SignInVersions {

    static final int STRIPES = 1 << 16;

    private final AtomicLongArray accounts = new AtomicLongArray(STRIPES);
    private final Map<String, Long> tenants = new ConcurrentHashMap<>();

    /** The account's current version. */
    public long account(String tenantId, String userId) {
        return accounts.get(stripe(tenantId, userId));
    }

    /** The tenant's current policy version. */
    public long tenant(String tenantId) {
        return tenants.getOrDefault(tenantId, 0L);
    }

    /** Something an answer of this account depends on has changed (call after the change is visible). */
    public void accountChanged(String tenantId, String userId) {
        accounts.incrementAndGet(stripe(tenantId, userId));
    }

    /** The tenant's policies have changed (call after the change is visible). */
    public void tenantChanged(String tenantId) {
        tenants.merge(tenantId, 1L, Long::sum);
    }

    private static int stripe(String tenantId, String userId) {
        int h = tenantId.hashCode() * 31 + userId.hashCode();
        h ^= h >>> 16;
        return h & (STRIPES - 1);
    }
}
