package dev.bulwark.contract;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads the envelope every event carries ({@code eventId}, {@code occurredAt}, {@code tenantId} and its key) without
 * knowing the event's type, and mints event ids.
 */
public final class Envelope {

    /** Schema property naming the field an event is keyed by on its topic (e.g. {@code "deviceId"}). */
    public static final String KEY_PROPERTY = "bulwark.key";

    public static final String EVENT_ID = "eventId";
    public static final String OCCURRED_AT = "occurredAt";
    public static final String TENANT_ID = "tenantId";

    private Envelope() {}

    /** A fresh random (version 4) UUID for a new event's {@code eventId}. */
    public static String newEventId() {
        return UUID.randomUUID().toString();
    }

    public static String eventId(SpecificRecord event) {
        return string(event, EVENT_ID);
    }

    public static String tenantId(SpecificRecord event) {
        return string(event, TENANT_ID);
    }

    public static Instant occurredAt(SpecificRecord event) {
        Object value = value(event, OCCURRED_AT);
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Long millis) {
            return Instant.ofEpochMilli(millis);
        }
        throw new IllegalArgumentException(name(event) + ".occurredAt is " + value + ", not a timestamp");
    }

    /**
     * The event's Kafka key: the value of the field its schema names in {@value #KEY_PROPERTY} (deviceId,
     * registrationId, subjectId, userId, memberId, appId or policyId).
     *
     * @throws IllegalArgumentException if the record's schema names no key field
     */
    public static String key(SpecificRecord event) {
        Objects.requireNonNull(event, "event");
        String field = event.getSchema().getProp(KEY_PROPERTY);
        if (field == null) {
            throw new IllegalArgumentException(name(event) + " has no '" + KEY_PROPERTY + "' in its schema");
        }
        return string(event, field);
    }

    /** The name of the field an event type is keyed by, from its schema. */
    public static String keyField(Schema recordSchema) {
        String field = recordSchema.getProp(KEY_PROPERTY);
        if (field == null) {
            throw new IllegalArgumentException(recordSchema.getName() + " has no '" + KEY_PROPERTY + "' in its schema");
        }
        return field;
    }

    private static String string(SpecificRecord event, String field) {
        Object value = value(event, field);
        if (value == null) {
            throw new IllegalArgumentException(name(event) + "." + field + " is not set");
        }
        return value.toString();
    }

    private static Object value(SpecificRecord event, String field) {
        Objects.requireNonNull(event, "event");
        Schema.Field f = event.getSchema().getField(field);
        if (f == null) {
            throw new IllegalArgumentException(
                    name(event) + " has no field '" + field + "'; not an event of the contract");
        }
        return event.get(f.pos());
    }

    private static String name(SpecificRecord event) {
        return event.getSchema().getName();
    }
}
