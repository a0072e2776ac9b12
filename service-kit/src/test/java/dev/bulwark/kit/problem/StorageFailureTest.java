package dev.bulwark.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import org.hibernate.exception.DataException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** Which database failures are the caller's value, which are an outage, and which are ours. */
class StorageFailureTest {

    @Test
    void aNulCharacterRefusedByPostgresIsTheCallersValue() {
        SQLException nul = new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        assertThat(StorageFailure.of(new DataException("could not execute statement", nul)))
                .isEqualTo(StorageFailure.UNSTORABLE_VALUE);
        assertThat(StorageFailure.of(new PersistenceException(new RuntimeException(nul))))
                .isEqualTo(StorageFailure.UNSTORABLE_VALUE);
    }

    @Test
    void aKeyTooLargeForItsIndexIsTheCallersValue() {
        SQLException btree = new SQLException("index row size 6016 exceeds btree version 4 maximum 2704", "54000");
        assertThat(StorageFailure.of(new PersistenceException(btree))).isEqualTo(StorageFailure.UNSTORABLE_VALUE);
    }

    @Test
    void connectionFailuresOfClass08AndShutdownsAreAnOutageWrappedOrNot() {
        assertThat(StorageFailure.of(new SQLException("Connection refused", "08001")))
                .isEqualTo(StorageFailure.UNAVAILABLE);
        assertThat(StorageFailure.of(new RuntimeException(new PersistenceException(
                        new SQLException("terminating connection due to administrator command", "57P01")))))
                .isEqualTo(StorageFailure.UNAVAILABLE);
        assertThat(StorageFailure.of(new SQLException("the database system is shutting down", "57P03")))
                .isEqualTo(StorageFailure.UNAVAILABLE);
        assertThat(StorageFailure.of(new JDBCConnectionException("could not open connection", null)))
                .isEqualTo(StorageFailure.UNAVAILABLE);
    }

    @Test
    void anyFailureWhileOpeningAConnectionIsAnOutage() {
        // ALLOW_CONNECTIONS false answers 55000 at connect time: not class 08, but no connection either.
        SQLException refused = new SQLException("database \"x\" is not currently accepting connections", "55000");
        refused.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.postgresql.Driver", "connect", null, 1),
            new StackTraceElement("io.agroal.pool.ConnectionFactory", "createConnection", null, 1)
        });
        assertThat(StorageFailure.of(new PersistenceException(refused))).isEqualTo(StorageFailure.UNAVAILABLE);
    }

    @Test
    void thePoolsAcquisitionTimeoutIsAnOutage() {
        SQLException timeout = new SQLException("Sorry, acquisition timeout!");
        timeout.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.agroal.pool.ConnectionPool", "getConnection", null, 1)
        });
        assertThat(StorageFailure.of(new RuntimeException(timeout))).isEqualTo(StorageFailure.UNAVAILABLE);
    }

    @Test
    void otherFailuresAreOurs() {
        SQLException uniqueness = new SQLException("duplicate key", "23505");
        uniqueness.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.agroal.pool.wrapper.StatementWrapper", "executeUpdate", null, 1)
        });
        assertThat(StorageFailure.of(uniqueness)).isEqualTo(StorageFailure.OTHER);
        assertThat(StorageFailure.of(new SQLException("no state"))).isEqualTo(StorageFailure.OTHER);
        assertThat(StorageFailure.of(new IllegalStateException("a bug"))).isEqualTo(StorageFailure.OTHER);
    }
}
