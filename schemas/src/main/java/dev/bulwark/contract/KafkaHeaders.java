package dev.bulwark.contract;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The Kafka-typed half of {@link CloudEventHeaders}. Kept apart because verifying this code loads Kafka classes, and
 * kafka-clients is optional for users of the Map-based API.
 */
final class KafkaHeaders {

    private KafkaHeaders() {}

    static Optional<String> value(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        return Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    static Headers toKafka(Map<String, String> headers) {
        Headers kafka = new RecordHeaders();
        headers.forEach((name, value) -> kafka.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return kafka;
    }

    static Map<String, String> fromKafka(Headers headers) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Header header : headers) {
            if (header.value() != null) {
                values.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return Collections.unmodifiableMap(values);
    }
}
