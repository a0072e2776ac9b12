package dev.bulwark.kit.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The size an outbox row will have as a Kafka record, and the rule that refuses one the broker would never take. Kafka
 * refuses a record over the producer's {@code max.request.size} (and the topic's {@code max.message.bytes}); such a
 * row written to the outbox could never be published, so it is refused when it is appended, before anything commits.
 */
public record EventSize(int bytes) {

    /**
     * Kafka's own defaults are 1 MiB for the producer's request and the broker's message; a record also carries a batch
     * header and per-record varints. The default limit keeps 10 % of headroom below 1 MiB.
     */
    public static final int DEFAULT_LIMIT = 943_718;

    /** Key, value and every header name and value, as the producer will write them (UTF-8). */
    public static EventSize of(String key, byte[] payload, Map<String, String> headers) {
        long total = utf8(key) + payload.length;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            total += utf8(header.getKey()) + utf8(header.getValue());
        }
        return new EventSize((int) Math.min(Integer.MAX_VALUE, total));
    }

    public boolean exceeds(int limit) {
        return bytes > limit;
    }

    private static long utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
