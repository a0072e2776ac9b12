package dev.bulwark.policy.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads the values of native query rows, whose Java types vary with the JDBC driver's mapping. */
public final class Columns {

    private Columns() {}

    public static Instant instant(Object column) {
        if (column instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (column instanceof Instant i) {
            return i;
        }
        if (column instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + column);
    }
}
