package dev.bulwark.kit.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which consumer channels are retrying a transient failure now, since when, how often and why; read by
 * {@link ConsumerReadiness}.
 */
@ApplicationScoped
public class ConsumerHealth {

    /** A channel that has been failing since {@code since}. */
    public record Failing(Instant since, int attempts, String lastError) {}

    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    /** Records one more failed attempt of {@code channel}; returns how many have failed in a row. */
    public int failed(String channel, Throwable error) {
        return failing.merge(
                        channel,
                        new Failing(Instant.now(), 1, error.toString()),
                        (before, now) -> new Failing(before.since(), before.attempts() + 1, now.lastError()))
                .attempts();
    }

    /** {@code channel} applied a record again. */
    public void recovered(String channel) {
        failing.remove(channel);
    }

    /** The channels failing now, by name. */
    public Map<String, Failing> failing() {
        return new TreeMap<>(failing);
    }
}
