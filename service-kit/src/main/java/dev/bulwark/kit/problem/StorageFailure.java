package dev.bulwark.kit.problem;

import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a failure of the database says about the request: a value PostgreSQL cannot store came from the caller (400),
 * a database we cannot reach is an outage the caller should wait out (503), anything else is a fault of ours (500).
 * A pure function of the exception and its causes, so every service answers alike.
 */
public enum StorageFailure {
    /** PostgreSQL refused a value: a NUL character, an impossible number, a key too large for its index. */
    UNSTORABLE_VALUE,
    /** No connection could be had or kept: the server is down, refusing connections, or shutting down. */
    UNAVAILABLE,
    /** Not a storage failure we can explain to the caller. */
    OTHER;

    /** SQLSTATEs that mean the server went away or will not take us now (class 08 is matched as a class). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of(
            "57P01", // admin_shutdown: our session was terminated
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now: starting up or shutting down
            "53300"); // too_many_connections

    /** Where Agroal opens a physical connection: any failure there means the database is not reachable for us. */
    private static final String CONNECTION_FACTORY = "io.agroal.pool.ConnectionFactory";
    /** Where Agroal gives up waiting for a pooled connection (its acquisition timeout carries no SQLSTATE). */
    private static final String CONNECTION_POOL = "io.agroal.pool.ConnectionPool";

    public static StorageFailure of(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        StorageFailure found = OTHER;
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")
                    || openingAConnection(t)) {
                return UNAVAILABLE;
            }
            if (t instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    StorageFailure byState = ofState(next.getSQLState());
                    if (byState == UNAVAILABLE) {
                        return UNAVAILABLE;
                    }
                    if (byState == UNSTORABLE_VALUE) {
                        found = UNSTORABLE_VALUE;
                    }
                    if (next.getNextException() == next) {
                        break;
                    }
                }
            }
        }
        return found;
    }

    /** Class 08 and the server's shutdown states are outages; class 22 and 54000 are values the caller sent. */
    static StorageFailure ofState(String sqlState) {
        if (sqlState == null || sqlState.length() != 5) {
            return OTHER;
        }
        if (sqlState.startsWith("08") || UNAVAILABLE_STATES.contains(sqlState)) {
            return UNAVAILABLE;
        }
        // Class 22 is data exceptions (NUL in text, numeric overflow, bad encoding); 54000 is a value too large for
        // its index row (a long key in a btree).
        if (sqlState.startsWith("22") || sqlState.equals("54000")) {
            return UNSTORABLE_VALUE;
        }
        return OTHER;
    }

    private static boolean openingAConnection(Throwable t) {
        if (!(t instanceof SQLException)) {
            return false;
        }
        StackTraceElement[] frames = t.getStackTrace();
        if (frames.length > 0 && frames[0].getClassName().equals(CONNECTION_POOL)) {
            return true;
        }
        for (StackTraceElement frame : frames) {
            if (frame.getClassName().equals(CONNECTION_FACTORY)) {
                return true;
            }
        }
        return false;
    }
}
