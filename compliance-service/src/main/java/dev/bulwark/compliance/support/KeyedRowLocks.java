package dev.bulwark.compliance.support;

/**
 * The statement that locks a batch's rows of one tenant by their keys, in key order: one unique-index lookup per key,
 * whatever the planner believes about the table.
 *
 * <p>The plain form, {@code where tenant_id = ?1 and key = any(?2) order by key for update}, is left to the planner's
 * statistics. Right after thousands of rows arrive (a join storm, a bench's setup) and before autovacuum has analysed
 * them, PostgreSQL took the {@code (tenant_id, user_id)} index for it and visited every row of the tenant, live and
 * dead, for each batch: the lock query of 20 app instances cost as much as reading the tenant's 2,600 rows and 19,000
 * dead versions, and under load it was a third of compliance-service's consumer time (wall profile at 1,000
 * check-ins/s, docs/perf/2026-12-05-lock-queries.md). A lateral subquery that locks cannot be flattened, so each key
 * is one probe of the {@code (tenant_id, key)} unique index, in the order of the sorted keys — the same order as the
 * plain form's, which every other writer of these tables keeps.
 */
public final class KeyedRowLocks {

    private KeyedRowLocks() {}

    /**
     * Locks and returns the rows of {@code table} of tenant {@code ?1} whose {@code keyColumn} is in the text array
     * {@code ?2}; {@code table} and {@code keyColumn} are code constants, never input.
     */
    public static String statement(String table, String keyColumn) {
        return "select t.* from (select k from unnest(cast(?2 as text[])) as keys(k) order by k) keys"
                + " cross join lateral (select * from " + table + " where tenant_id = ?1 and " + keyColumn
                + " = keys.k for update) t";
    }
}
