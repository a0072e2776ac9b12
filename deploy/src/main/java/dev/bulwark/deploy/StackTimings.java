package dev.bulwark.deploy;

import java.time.Duration;
import java.util.Map;

/**
 * How long a start took: Kafka, PostgreSQL, databases, topics and keys ({@code infrastructure}), each service from
 * its launch to its first ready answer, and the whole start until every service was ready.
 */
public record StackTimings(Duration infrastructure, Map<BulwarkService, Duration> services, Duration total) {

    public StackTimings {
        services = Map.copyOf(services);
    }

    /** Seconds with one decimal, e.g. {@code 12.3 s}. */
    public static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
