package dev.bulwark.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a stack is made of: where the built services are (the repository root), where its state lives (Kafka log,
 * PostgreSQL data, token keys, service logs), which services run, on which ports, and whether PostgreSQL is an outside
 * server. Immutable; the {@code with...} methods give changed copies.
 *
 * @param serviceJvmOptions options placed before {@code -jar} on each service's command line
 */
public record StackConfig(
        Path repositoryRoot,
        Path dataDir,
        Set<BulwarkService> services,
        StackPorts ports,
        Optional<ExternalPostgres> externalPostgres,
        Duration readyTimeout,
        List<String> serviceJvmOptions) {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);

    /**
     * Lean JVM settings for four services sharing a developer's few cores: the serial collector and a 256 MB heap keep
     * each process small (GC took under 2 % of the wall time under load), and the C1 compiler alone (as the Kafka
     * broker runs) starts them in about half the time of the full tiered compiler on busy cores. Measured both ways
     * with {@code ./bulwark bench} (docs/perf/2026-12-04-jvm-defaults.md): on two oversubscribed cores C2 gave no more
     * throughput and missed the 120 s readiness limit in 3 of 4 starts. Load tests that want C2 replace them with
     * {@link #withServiceJvmOptions} (the launcher: {@code BULWARK_SERVICE_JAVA_OPTS}).
     */
    public static final List<String> DEFAULT_SERVICE_JVM_OPTIONS =
            List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");

    public StackConfig {
        repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
        if (services.isEmpty()) {
            throw new IllegalArgumentException("a stack needs at least one service");
        }
        services = Set.copyOf(EnumSet.copyOf(services));
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(externalPostgres, "externalPostgres");
        if (readyTimeout.isNegative() || readyTimeout.isZero()) {
            throw new IllegalArgumentException("readyTimeout must be positive");
        }
        serviceJvmOptions = List.copyOf(serviceJvmOptions);
    }

    /**
     * All four services on the default ports, data in {@code dataDir}, PostgreSQL from the environment's
     * {@code BULWARK_DB_URL} if set, else embedded.
     */
    public static StackConfig defaults(Path repositoryRoot, Path dataDir, Map<String, String> env) {
        return new StackConfig(
                repositoryRoot,
                dataDir,
                EnumSet.allOf(BulwarkService.class),
                StackPorts.defaults(),
                ExternalPostgres.fromEnvironment(env),
                DEFAULT_READY_TIMEOUT,
                DEFAULT_SERVICE_JVM_OPTIONS);
    }

    public StackConfig withServices(Set<BulwarkService> chosen) {
        return new StackConfig(
                repositoryRoot, dataDir, chosen, ports, externalPostgres, readyTimeout, serviceJvmOptions);
    }

    public StackConfig withPorts(StackPorts chosen) {
        return new StackConfig(
                repositoryRoot, dataDir, services, chosen, externalPostgres, readyTimeout, serviceJvmOptions);
    }

    public StackConfig withExternalPostgres(Optional<ExternalPostgres> chosen) {
        return new StackConfig(repositoryRoot, dataDir, services, ports, chosen, readyTimeout, serviceJvmOptions);
    }

    public StackConfig withReadyTimeout(Duration chosen) {
        return new StackConfig(repositoryRoot, dataDir, services, ports, externalPostgres, chosen, serviceJvmOptions);
    }

    public StackConfig withServiceJvmOptions(List<String> chosen) {
        return new StackConfig(repositoryRoot, dataDir, services, ports, externalPostgres, readyTimeout, chosen);
    }

    /** The services in their fixed order (device-registry first), whatever order they were named in. */
    public List<BulwarkService> orderedServices() {
        return EnumSet.copyOf(services).stream().toList();
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    public Path keysDir() {
        return dataDir.resolve("keys");
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public Path logFile(BulwarkService service) {
        return logsDir().resolve(service.moduleName() + ".log");
    }
}
