package dev.bulwark.compliance.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What compliance-service decides, as an operator counts it: {@code bulwark_compliance_signouts_total{reason,
 * management}} (SignOutRequired committed, by its reason and the subject's management type) and
 * {@code bulwark_compliance_decision_delay_seconds{management}} (from a state report's occurredAt, the device's or app's
 * own time, to its verdict committed here; buckets for percentiles).
 */
@ApplicationScoped
public class ComplianceMeters {

    /** Upper bounds of the delay histogram: a check-in is decided in milliseconds, a backlog takes seconds. */
    private static final Duration[] DELAY_BUCKETS = {
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private final MeterRegistry registry;
    private final Map<String, Counter> signOuts = new ConcurrentHashMap<>();
    private final Map<String, Timer> delays = new ConcurrentHashMap<>();

    ComplianceMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A SignOutRequired was committed. */
    public void signedOut(String reason, String management) {
        signOuts.computeIfAbsent(reason + "/" + management, key -> Counter.builder("bulwark.compliance.signouts")
                        .description("SignOutRequired decided (committed), by reason and management type")
                        .tag("reason", reason)
                        .tag("management", management)
                        .register(registry))
                .increment();
    }

    /** A state report's verdict was committed {@code delay} after the report occurred. */
    public void decided(String management, Duration delay) {
        delays.computeIfAbsent(management, key -> Timer.builder("bulwark.compliance.decision.delay")
                        .description("From a state report's occurredAt to its verdict committed in compliance-service")
                        .tag("management", management)
                        .serviceLevelObjectives(DELAY_BUCKETS)
                        .register(registry))
                .record(delay.isNegative() ? Duration.ZERO : delay);
    }
}
