package dev.bulwark.kit.consumer;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import javax.transaction.xa.XAException;

/**
 * Decides whether a consumer's failure is the record's fault (poison: it will never apply, dead-letter it) or the
 * surroundings' (transient: the database or the broker is away, a lock or statement timed out, a serialization
 * conflict — apply the same record again later). Walks the exception's causes and suppressed exceptions; framework
 * types are recognised by class name so that this stays a pure function of the exception.
 */
public final class Failures {

    /** The two kinds of consumer failure. */
    public enum Kind {
        /** The surroundings failed; the record is valid and must be applied later, never dead-lettered. */
        TRANSIENT,
        /** The record itself cannot be applied (undecodable, invalid, unknown); dead-letter it and go on. */
        POISON
    }

    /** SQLStates that say the database is away or the statement lost a race, whatever the record. */
    private static final Set<String> TRANSIENT_STATES = Set.of(
            "57P01", // admin_shutdown (pg_terminate_backend, a restart)
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now (starting up, recovering)
            "55P03", // lock_not_available (lock_timeout, NOWAIT)
            "57014", // query_canceled (statement_timeout)
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "53300", // too_many_connections
            "53400" // configuration_limit_exceeded
            );

    /** Exception classes (or their superclasses) that mean "try again later". */
    private static final Set<String> TRANSIENT_TYPES = Set.of(
            "org.hibernate.exception.JDBCConnectionException",
            "org.hibernate.exception.LockAcquisitionException",
            "org.hibernate.exception.LockTimeoutException",
            "org.hibernate.PessimisticLockException",
            "org.hibernate.QueryTimeoutException",
            "jakarta.persistence.LockTimeoutException",
            "jakarta.persistence.QueryTimeoutException",
            "jakarta.persistence.PessimisticLockException",
            // the broker: TimeoutException, NotLeaderOrFollower, NetworkException ... all extend RetriableException
            "org.apache.kafka.common.errors.RetriableException",
            "java.net.ConnectException",
            "java.net.SocketTimeoutException",
            "java.util.concurrent.TimeoutException");

    private Failures() {}

    /** The kind of {@code failure}: TRANSIENT when anything in its chain says so, POISON otherwise. */
    public static Kind classify(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return anyTransient(failure, seen) ? Kind.TRANSIENT : Kind.POISON;
    }

    /** Whether {@code failure} is transient: a shorthand for {@code classify(failure) == TRANSIENT}. */
    public static boolean isTransient(Throwable failure) {
        return classify(failure) == Kind.TRANSIENT;
    }

    private static boolean anyTransient(Throwable failure, Set<Throwable> seen) {
        if (failure == null || !seen.add(failure)) {
            return false;
        }
        if (transientItself(failure)) {
            return true;
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (anyTransient(suppressed, seen)) {
                return true;
            }
        }
        if (failure instanceof SQLException sql && anyTransient(sql.getNextException(), seen)) {
            return true;
        }
        return anyTransient(failure.getCause(), seen);
    }

    private static boolean transientItself(Throwable failure) {
        if (failure instanceof SQLTransientException || failure instanceof SQLRecoverableException) {
            return true;
        }
        if (failure instanceof SQLException sql && transientState(sql.getSQLState(), sql.getMessage())) {
            return true;
        }
        // the connection lost at commit: Narayana reports the resource manager's failure as an XAException
        if (failure instanceof XAException xa
                && (xa.errorCode == XAException.XAER_RMFAIL || xa.errorCode == XAException.XA_RBCOMMFAIL)) {
            return true;
        }
        if (unavailableConnection(failure.getMessage())) {
            return true;
        }
        for (Class<?> type = failure.getClass(); type != null; type = type.getSuperclass()) {
            if (TRANSIENT_TYPES.contains(type.getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean transientState(String state, String message) {
        if (state == null) {
            return false;
        }
        // class 08: connection exception (refused, broken, lost)
        if (state.startsWith("08") || TRANSIENT_STATES.contains(state)) {
            return true;
        }
        // 55000 is broad (object not in prerequisite state); only the closed database is the surroundings' fault
        return state.equals("55000") && message != null && message.contains("not currently accepting connections");
    }

    /**
     * A connection that could not be had: Agroal's acquisition timeout and Hibernate's "Unable to acquire JDBC
     * Connection" name no SQLState of their own, yet no record ever causes them.
     */
    private static boolean unavailableConnection(String message) {
        if (message == null) {
            return false;
        }
        String text = message.toLowerCase(Locale.ROOT);
        return text.contains("acquisition timeout") || text.contains("unable to acquire jdbc connection");
    }
}
