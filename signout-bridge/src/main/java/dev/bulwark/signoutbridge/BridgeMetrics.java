package dev.bulwark.signoutbridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an operator asks of the bridge, as Prometheus names them: {@code signouts_carried_out_total} (by provider and
 * scope), {@code signouts_sessions_ended_total} (online / offline), {@code signouts_skipped_total} (unknown user,
 * tenant not served, repeated event), {@code signouts_dead_lettered_total} (unreadable / refused),
 * {@code signouts_provider_failures_total}, {@code signout_bridge_delay_seconds} (from the event's occurredAt to its
 * sessions ended) and {@code signout_bridge_consumer_lag_records} (records of the topic not yet carried out, summed
 * over the partitions this replica holds). Kafka's own consumer metrics ({@code kafka_consumer_*}, lag per partition
 * among them) are bound as well.
 */
@ApplicationScoped
public class BridgeMetrics {

    private final MeterRegistry registry;
    private final AtomicLong lag = new AtomicLong();
    private final Timer delay;

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("signout.bridge.consumer.lag.records", lag);
        this.delay = Timer.builder("signout.bridge.delay")
                .description("From a SignOutRequired's occurredAt to its sessions ended at the identity provider")
                .publishPercentileHistogram()
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    void carriedOut(String provider, SignOut signOut, SessionEnder.Ended ended, Duration sinceOccurred) {
        Counter.builder("signouts.carried.out")
                .description("SignOutRequired events carried out at the identity provider")
                .tag("provider", provider)
                .tag("scope", signOut.namesApps() ? "apps" : "user")
                .tag("reason", signOut.reason())
                .register(registry)
                .increment();
        sessions(provider, "online", ended.sessions());
        sessions(provider, "offline", ended.offlineSessions());
        delay.record(sinceOccurred.isNegative() ? Duration.ZERO : sinceOccurred);
    }

    void skipped(String cause) {
        Counter.builder("signouts.skipped")
                .description("SignOutRequired events with nothing to end here")
                .tag("cause", cause)
                .register(registry)
                .increment();
    }

    void deadLettered(String cause) {
        Counter.builder("signouts.dead.lettered")
                .description("Records sent to the dead-letter topic")
                .tag("cause", cause)
                .register(registry)
                .increment();
    }

    void providerFailed(String provider) {
        Counter.builder("signouts.provider.failures")
                .description("Attempts the identity provider could not carry out now (retried with backoff)")
                .tag("provider", provider)
                .register(registry)
                .increment();
    }

    void lag(long records) {
        lag.set(records);
    }

    private void sessions(String provider, String kind, int count) {
        Counter.builder("signouts.sessions.ended")
                .description("Sessions ended at the identity provider")
                .tag("provider", provider)
                .tag("kind", kind)
                .register(registry)
                .increment(count);
    }
}
