package dev.bulwark.contract;

import java.util.OptionalLong;

/**
 * Bytes that {@link EventCodec} cannot turn into an event of the contract. {@link #reason()} tells a consumer whether
 * the bytes are a valid event it simply does not know ({@link Reason#UNKNOWN_SCHEMA}: ignore it, a newer producer
 * may have added a type) or garbage ({@link Reason#NOT_SINGLE_OBJECT_ENCODED}, {@link Reason#MALFORMED_BODY}: a
 * poison message for the dead-letter topic).
 */
public class UnknownEventException extends RuntimeException {

    /** Why the bytes could not be decoded. */
    public enum Reason {
        /** Too short, or no {@code C3 01} marker: not Avro single-object encoding at all. */
        NOT_SINGLE_OBJECT_ENCODED,
        /** Well-formed header, but no event type of this contract has that writer-schema fingerprint. */
        UNKNOWN_SCHEMA,
        /** Known schema, but the body does not decode with it (truncated or corrupt). */
        MALFORMED_BODY,
        /** A valid event, but not of the type the caller asked for. */
        UNEXPECTED_TYPE
    }

    private final Reason reason;
    private final Long fingerprint;

    UnknownEventException(Reason reason, String message, Long fingerprint, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.fingerprint = fingerprint;
    }

    public Reason reason() {
        return reason;
    }

    /** The writer-schema fingerprint read from the header, when the header was readable. */
    public OptionalLong fingerprint() {
        return fingerprint == null ? OptionalLong.empty() : OptionalLong.of(fingerprint);
    }
}
