package dev.bulwark.contract;

import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents 1.0 Kafka binary-mode headers every event record carries, so a consumer can route, dedupe and
 * trace an event without decoding its body.
 *
 * <p>The Kafka-typed helpers need kafka-clients on the class path; the Map-based ones do not. Their bodies live in
 * {@link KafkaHeaders} so that linking this class never loads a Kafka class (javac still needs kafka-clients to pick
 * between the two {@code type} overloads; without it, read {@code headers.get(TYPE)}).
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String AVRO_CONTENT_TYPE = "application/avro";

    private CloudEventHeaders() {}

    /**
     * The headers for one event, in a stable order: specversion, id (the eventId), type (the record's simple name,
     * e.g. {@code DeviceEnrolled}), source (the producing service), time (occurredAt, ISO-8601 UTC), subject (the
     * Kafka key), content-type.
     *
     * @param source the producing service's name, e.g. {@code device-registry}
     * @param subject the record's Kafka key
     */
    public static Map<String, String> of(SpecificRecord event, String source, String subject) {
        Objects.requireNonNull(event, "event");
        requireText(source, "source");
        requireText(subject, "subject");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, SPEC_VERSION_VALUE);
        headers.put(ID, Envelope.eventId(event));
        headers.put(TYPE, event.getSchema().getName());
        headers.put(SOURCE, source);
        headers.put(TIME, DateTimeFormatter.ISO_INSTANT.format(Envelope.occurredAt(event)));
        headers.put(SUBJECT, subject);
        headers.put(CONTENT_TYPE, AVRO_CONTENT_TYPE);
        return Collections.unmodifiableMap(headers);
    }

    /** The event's type ({@code ce_type}), e.g. {@code DeviceEnrolled}. */
    public static Optional<String> type(Map<String, String> headers) {
        return Optional.ofNullable(headers.get(TYPE)).filter(v -> !v.isBlank());
    }

    /** The event's type ({@code ce_type}) from a Kafka record's headers; the last value wins. */
    public static Optional<String> type(Headers headers) {
        return KafkaHeaders.value(headers, TYPE).filter(v -> !v.isBlank());
    }

    /** A header's value (UTF-8) from a Kafka record's headers; the last value wins. */
    public static Optional<String> value(Headers headers, String name) {
        return KafkaHeaders.value(headers, name);
    }

    /** Kafka headers carrying the given values as UTF-8, in the map's order. */
    public static Headers toKafka(Map<String, String> headers) {
        return KafkaHeaders.toKafka(headers);
    }

    /** Every header of a Kafka record as text (UTF-8), in order; for a repeated name the last value wins. */
    public static Map<String, String> fromKafka(Headers headers) {
        return KafkaHeaders.fromKafka(headers);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
