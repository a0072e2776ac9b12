package dev.bulwark.compliance.support;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads the values of native query rows, whose column types depend on the JDBC driver and Hibernate's mapping. */
public final class Columns {

    private Columns() {}

    /** A {@code timestamptz} column as an instant, whichever Java type the row carries it in. */
    public static Instant instant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass());
    }
}
