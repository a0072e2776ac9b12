package dev.bulwark.kit.consumer;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
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
public class ConsumerReadiness implements HealthCheck {

    private final ConsumerHealth health;

    ConsumerReadiness(ConsumerHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, ConsumerHealth.Failing> failing = health.failing();
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("consumers").status(failing.isEmpty());
        failing.forEach((channel, failure) -> response.withData(
                channel,
                "retrying since " + failure.since() + " (" + failure.attempts() + " attempts): "
                        + failure.lastError()));
        return response.build();
    }
}
