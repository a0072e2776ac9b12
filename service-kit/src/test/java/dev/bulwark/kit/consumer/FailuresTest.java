package dev.bulwark.kit.consumer;

import static dev.bulwark.kit.consumer.Failures.Kind.POISON;
import static dev.bulwark.kit.consumer.Failures.Kind.TRANSIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.contract.UnknownEventException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.avro.AvroRuntimeException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class FailuresTest {

    /** What Hibernate and Narayana wrap a driver's failure in on the way out of a consumer. */
    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException(
                "transaction rolled back", new GenericJDBCException("could not execute statement", sql(cause)));
    }

    private static SQLException sql(Throwable cause) {
        return cause instanceof SQLException e ? e : new SQLException("driver", cause);
    }

    private static SQLException state(String sqlState, String message) {
        return new SQLException(message, sqlState);
    }

    @Test
    void undecodableInvalidAndUnknownRecordsArePoison() {
        assertThat(Failures.classify(new AvroRuntimeException("Malformed data")))
                .isEqualTo(POISON);
        assertThat(Failures.classify(new IllegalArgumentException("record has no value")))
                .isEqualTo(POISON);
        assertThatThrownBy(() ->
                        dev.bulwark.contract.EventCodec.decode(new byte[] {(byte) 0xC3, 1, 1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOfSatisfying(UnknownEventException.class, e -> assertThat(Failures.classify(e))
                        .isEqualTo(POISON));
        assertThat(Failures.classify(new NullPointerException())).isEqualTo(POISON);
    }

    @Test
    void constraintAndDataErrorsOfTheDatabaseArePoison() {
        assertThat(Failures.classify(wrapped(state("23505", "duplicate key")))).isEqualTo(POISON);
        assertThat(Failures.classify(wrapped(state("22001", "value too long")))).isEqualTo(POISON);
        assertThat(Failures.classify(wrapped(state("55000", "currval of sequence is not yet defined"))))
                .isEqualTo(POISON);
    }

    @Test
    void theDatabaseAwayIsTransientAtAnyDepth() {
        assertThat(Failures.classify(
                        wrapped(new PSQLException("Connection refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("08006", "I/O error")))).isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("57P01", "terminating connection due to administrator command"))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("57P02", "crash shutdown")))).isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("57P03", "the database system is starting up"))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("55000", "database \"x\" is not currently accepting connections"))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("53300", "too many clients"))))
                .isEqualTo(TRANSIENT);
    }

    @Test
    void aConnectionThatCannotBeHadIsTransient() {
        assertThat(Failures.classify(new SQLException("Sorry, acquisition timeout!")))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(new GenericJDBCException("Unable to acquire JDBC Connection", null)))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(new JDBCConnectionException("connection lost", null)))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(new SQLTransientConnectionException("gone"))))
                .isEqualTo(TRANSIENT);
    }

    @Test
    void lockAndStatementTimeoutsSerializationFailuresAndDeadlocksAreTransient() {
        assertThat(Failures.classify(wrapped(state("55P03", "canceling statement due to lock timeout"))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("57014", "canceling statement due to statement timeout"))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("40001", "could not serialize access"))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(wrapped(state("40P01", "deadlock detected"))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(new jakarta.persistence.LockTimeoutException("lock")))
                .isEqualTo(TRANSIENT);
    }

    @Test
    void aConnectionLostAtCommitIsTransientAnotherResourceManagerErrorIsNot() {
        assertThat(Failures.classify(new IllegalStateException(
                        "ARJUNA016053: Could not commit transaction",
                        new javax.transaction.xa.XAException(javax.transaction.xa.XAException.XAER_RMFAIL))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(
                        new javax.transaction.xa.XAException(javax.transaction.xa.XAException.XA_RBCOMMFAIL)))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(new javax.transaction.xa.XAException(javax.transaction.xa.XAException.XAER_PROTO)))
                .isEqualTo(POISON);
    }

    @Test
    void aChainedNextExceptionOrASuppressedOneCountsToo() {
        SQLException batch = new SQLException("Batch entry 0 was aborted");
        batch.setNextException(state("40P01", "deadlock detected"));
        assertThat(Failures.classify(wrapped(batch))).isEqualTo(TRANSIENT);

        RuntimeException rollback = new IllegalStateException("rollback failed");
        rollback.addSuppressed(state("08003", "connection closed"));
        assertThat(Failures.classify(rollback)).isEqualTo(TRANSIENT);
    }

    @Test
    void kafkaTimeoutsAndRetriableBrokerErrorsAreTransient() {
        assertThat(Failures.classify(new IllegalStateException(
                        new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)"))))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moved")))
                .isEqualTo(TRANSIENT);
        assertThat(Failures.classify(new org.apache.kafka.common.errors.RecordTooLargeException("too large")))
                .isEqualTo(POISON);
    }

    @Test
    void aCauseLoopEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(Failures.classify(a)).isEqualTo(POISON);
    }
}
