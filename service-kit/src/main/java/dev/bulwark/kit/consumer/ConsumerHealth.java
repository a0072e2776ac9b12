package dev.bulwark.kit.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check "consumers": DOWN while any channel is retrying a transient failure (its records wait, so what this
 * service answers is getting stale), with the channel, since when, how many attempts and the last error.
 */
@Readiness
@ApplicationScoped
public class ConsumerHealth implements HealthCheck {

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

    @Override
    public HealthCheckResponse call() {
        Map<String, Failing> now = failing();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("consumers").status(now.isEmpty());
        now.forEach((channel, failure) -> response.withData(
                channel,
                "retrying since " + failure.since() + " (" + failure.attempts() + " attempts): "
                        + failure.lastError()));
        return response.build();
    }
}
