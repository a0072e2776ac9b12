package dev.bulwark.simulator.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * The PostgreSQL anchor: how many rows per second one connection inserts on the same server with JDBC batches of
 * 500, a commit per batch — rows shaped like an outbox row (ids, tenant, key, a timestamp and a ~600-byte payload).
 * The table is the run's own and is dropped after.
 */
final class JdbcInsertAnchor {

    static final int BATCH = 500;

    record Result(int rows, long millis) {
        double rowsPerSecond() {
            return millis == 0 ? 0 : rows * 1000.0 / millis;
        }
    }

    private JdbcInsertAnchor() {}

    static Result run(String url, String user, String password, String runId, int rows) throws Exception {
        String table = "bench_anchor_" + runId.replace('-', '_');
        byte[] payload = new byte[600];
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("create table " + table
                        + " (id bigint primary key, tenant_id text not null, message_key text not null,"
                        + " occurred_at timestamptz not null, payload bytea not null)");
            }
            try {
                c.setAutoCommit(false);
                long start = System.nanoTime();
                try (PreparedStatement insert = c.prepareStatement("insert into " + table
                        + " (id, tenant_id, message_key, occurred_at, payload) values (?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < rows; i++) {
                        insert.setLong(1, i);
                        insert.setString(2, "bench");
                        insert.setString(3, "subject-" + (i % 5000));
                        insert.setTimestamp(4, new Timestamp(System.currentTimeMillis()));
                        insert.setBytes(5, payload);
                        insert.addBatch();
                        if ((i + 1) % BATCH == 0 || i == rows - 1) {
                            insert.executeBatch();
                            c.commit();
                        }
                    }
                }
                return new Result(rows, (System.nanoTime() - start) / 1_000_000);
            } finally {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("drop table if exists " + table);
                }
            }
        }
    }
}
