package dev.bulwark.registry.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;

/**
 * What the group-commit tests share: a lock held from the test's own transaction so that requests queue behind it,
 * waiting until they have, and which transaction wrote each row afterwards.
 */
final class GroupProbe {

    private GroupProbe() {}

    /**
     * Waits until {@code count} requests queue for the next group (the gauge {@code gauge} with tag {@code subject});
     * or, where there is no group commit, until the {@code answered} ones are answered anyway (so that the assertions
     * tell what happened instead).
     */
    static void awaitQueued(
            MeterRegistry meters, String gauge, String subject, int count, List<CompletableFuture<Response>> answered) {
        Awaitility.await("requests queued for the next group")
                .atMost(Duration.ofSeconds(30))
                .until(() -> queued(meters, gauge, subject) == count
                        || answered.stream().allMatch(CompletableFuture::isDone));
    }

    private static double queued(MeterRegistry meters, String name, String subject) {
        Gauge gauge = meters.find(name).tag("subject", subject).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    /** The id of the transaction that last wrote (or inserted) each row ({@code xmin}). */
    static Map<String, String> writingTransactions(
            AgroalDataSource dataSource, String table, String idColumn, List<String> ids) throws SQLException {
        Map<String, String> writers = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select " + idColumn + ", xmin::text from " + table + " where " + idColumn + " = any (?)")) {
            select.setArray(1, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    writers.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        assertThat(writers).hasSize(ids.size());
        return writers;
    }

    /** A lock held from the test's own connection and transaction until closed. */
    static final class Hold implements AutoCloseable {
        private final Connection connection;

        private Hold(Connection connection) {
            this.connection = connection;
        }

        /** The row's lock ({@code for update}), as a check-in group takes it. */
        static Hold row(AgroalDataSource dataSource, String table, String idColumn, String id) throws SQLException {
            return holding(dataSource, "select 1 from " + table + " where " + idColumn + " = ? for update", id);
        }

        /** The advisory lock the registry takes on a key of a scope ({@code KeyLock}), as a join group takes it. */
        static Hold key(AgroalDataSource dataSource, String scope, String tenantId, String key) throws SQLException {
            return holding(
                    dataSource,
                    "select pg_advisory_xact_lock(hashtextextended(?, 0))::text",
                    scope + "\u001f" + tenantId + "\u001f" + key);
        }

        private static Hold holding(AgroalDataSource dataSource, String sql, String parameter) throws SQLException {
            Connection connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(sql)) {
                lock.setString(1, parameter);
                lock.executeQuery().close();
            }
            return new Hold(connection);
        }

        /** Waits until another transaction of this database waits for a lock (the committer, for this one). */
        void awaitWaiter() {
            Awaitility.await("a transaction waiting for the held lock")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        try (PreparedStatement waiting = connection.prepareStatement(
                                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                                                + " and datname = current_database()");
                                ResultSet rs = waiting.executeQuery()) {
                            rs.next();
                            return rs.getLong(1) > 0;
                        }
                    });
        }

        @Override
        public void close() throws SQLException {
            connection.rollback();
            connection.close();
        }
    }
}
