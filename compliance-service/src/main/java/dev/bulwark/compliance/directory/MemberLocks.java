package dev.bulwark.compliance.directory;

import dev.bulwark.compliance.support.AdvisoryLockKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Serialises, per directory member (a user or a device), the transactions that change what the directory says of it
 * and the transactions that judge its subjects on what the directory says: a PostgreSQL transaction-scoped advisory
 * lock per member, taken before anything else. Without it a licence (or group) change and a batch of check-ins that
 * cross could each miss the other — the batch reading the old licence, the change not yet seeing the batch's report —
 * and the subject would stay judged on the old state. With it, whichever comes second waits for the first to commit
 * and then sees what it wrote. Locks are taken in key order, so two batches never deadlock on them.
 *
 * <p>The judges share the lock ({@link #shared}); a directory change takes it alone ({@link #exclusive}). Two batches
 * of check-ins judging subjects of the same user (her phone's and her app instance's, on different partitions of
 * {@code bulwark.devices.v1}, read by different consumers) change different rows, which their row locks order; taking
 * the member's lock alone made them wait for each other's commit, a quarter of the consumers' wall time at 1,000
 * check-ins/s with three consumers (docs/perf/2026-12-05-lock-queries.md).
 */
@ApplicationScoped
public class MemberLocks {

    /** The first key of the two-key advisory locks, so they cannot meet another use of advisory locks. */
    private static final int NAMESPACE = 0x436d706c;

    private final EntityManager entityManager;

    MemberLocks(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Shares the members' locks until the transaction ends (a judge of their subjects), with one query. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void shared(String tenantId, Collection<String> memberIds) {
        lock("pg_advisory_xact_lock_shared", tenantId, memberIds);
    }

    /** Takes the members' locks alone until the transaction ends (a change of what the directory says of them). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void exclusive(String tenantId, Collection<String> memberIds) {
        lock("pg_advisory_xact_lock", tenantId, memberIds);
    }

    private void lock(String function, String tenantId, Collection<String> memberIds) {
        if (memberIds.isEmpty()) {
            return;
        }
        // numbers only, so they can be written into the statement
        String keys = memberIds.stream()
                .map(member -> key(tenantId, member))
                .distinct()
                .sorted()
                .map(String::valueOf)
                .collect(Collectors.joining(","));
        entityManager
                .createNativeQuery("select cast(" + function + "(" + NAMESPACE + ", k) as text)"
                        + " from (select unnest(array[" + keys + "]) as k order by 1) as ordered")
                .getResultList();
    }

    private static int key(String tenantId, String memberId) {
        return AdvisoryLockKeys.of(tenantId + '\u0000' + memberId);
    }
}
