package dev.bulwark.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a stack is made of: where the built services are (the repository root), where its state lives (Kafka log,
 * PostgreSQL data, token keys, service logs), which services run, how many replicas of each, on which ports, and
 * whether PostgreSQL is an outside server. Immutable; the {@code with...} methods give changed copies.
 *
 * @param serviceJvmOptions options placed before {@code -jar} on each service's command line
 * @param replicas how many processes of a service run (absent: one); every replica has the same database, the same
 *     Kafka consumer groups and its own port (see {@link #replicaPort})
 * @param extraEnvironment settings added to a service's environment (every replica's), e.g. a test's shorter
 *     remediation deadline; they win over the launcher's own
 * @param identityProvider the dev key pair alone, or a Keycloak started after PostgreSQL whose issuer the services
 *     are given
 */
public record StackConfig(
        Path repositoryRoot,
        Path dataDir,
        Set<BulwarkService> services,
        StackPorts ports,
        Optional<ExternalPostgres> externalPostgres,
        Duration readyTimeout,
        List<String> serviceJvmOptions,
        Map<BulwarkService, Integer> replicas,
        Map<BulwarkService, Map<String, String>> extraEnvironment,
        IdentityProvider identityProvider) {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(120);

    /** The most replicas of one service the local stack starts (their fixed ports are 100 apart). */
    public static final int MAX_REPLICAS = 9;

    /** How far apart the fixed ports of a service's replicas are: 8084, 8184, 8284, … */
    public static final int REPLICA_PORT_STEP = 100;

    /**
     * Lean JVM settings for four services sharing a developer's few cores: the serial collector and a 256 MB heap keep
     * each process small (GC took under 2 % of the wall time under load), and the C1 compiler alone (as the Kafka
     * broker runs) starts them in about half the time of the full tiered compiler on busy cores. Measured both ways
     * with {@code ./bulwark bench} (docs/perf/2026-12-04-jvm-defaults.md): on two oversubscribed cores C2 gave no more
     * throughput and missed the 120 s readiness limit in 3 of 4 starts; on a quiet machine
     * (docs/perf/2026-12-05-consumer-cpu.md) tiered started 15–25 % slower and was still compiling through a 200/s
     * phase a minute in (p99 1.2 s against 0.43 s), better only at 1,000/s after that. Load tests that want C2 replace
     * them with
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
        replicas = checkedReplicas(replicas, services);
        extraEnvironment = copyOfEnvironment(extraEnvironment, services);
        Objects.requireNonNull(identityProvider, "identityProvider");
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
                DEFAULT_SERVICE_JVM_OPTIONS,
                Map.of(),
                Map.of(),
                IdentityProvider.DEV_KEYS);
    }

    /** The chosen services; replica counts and settings of services no longer chosen are dropped. */
    public StackConfig withServices(Set<BulwarkService> chosen) {
        Map<BulwarkService, Integer> keptReplicas = new EnumMap<>(BulwarkService.class);
        replicas.forEach((service, count) -> {
            if (chosen.contains(service)) {
                keptReplicas.put(service, count);
            }
        });
        Map<BulwarkService, Map<String, String>> keptEnvironment = new EnumMap<>(BulwarkService.class);
        extraEnvironment.forEach((service, env) -> {
            if (chosen.contains(service)) {
                keptEnvironment.put(service, env);
            }
        });
        return new StackConfig(
                repositoryRoot,
                dataDir,
                chosen,
                ports,
                externalPostgres,
                readyTimeout,
                serviceJvmOptions,
                keptReplicas,
                keptEnvironment,
                identityProvider);
    }

    public StackConfig withPorts(StackPorts chosen) {
        return new StackConfig(
                repositoryRoot,
                dataDir,
                services,
                chosen,
                externalPostgres,
                readyTimeout,
                serviceJvmOptions,
                replicas,
                extraEnvironment,
                identityProvider);
    }

    public StackConfig withReadyTimeout(Duration chosen) {
        return new StackConfig(
                repositoryRoot,
                dataDir,
                services,
                ports,
                externalPostgres,
                chosen,
                serviceJvmOptions,
                replicas,
                extraEnvironment,
                identityProvider);
    }

    public StackConfig withServiceJvmOptions(List<String> chosen) {
        return new StackConfig(
                repositoryRoot,
                dataDir,
                services,
                ports,
                externalPostgres,
                readyTimeout,
                chosen,
                replicas,
                extraEnvironment,
                identityProvider);
    }

    /** The dev key pair alone, or a Keycloak beside PostgreSQL. */
    public StackConfig withIdentityProvider(IdentityProvider chosen) {
        return new StackConfig(
                repositoryRoot,
                dataDir,
                services,
                ports,
                externalPostgres,
                readyTimeout,
                serviceJvmOptions,
                replicas,
                extraEnvironment,
                chosen);
    }

    /** {@code count} processes of {@code service} (one of the stack's services), 1 to {@link #MAX_REPLICAS}. */
    public StackConfig withReplicas(BulwarkService service, int count) {
        Map<BulwarkService, Integer> changed = new EnumMap<>(BulwarkService.class);
        changed.putAll(replicas);
        changed.put(service, count);
        return new StackConfig(
                repositoryRoot,
                dataDir,
                services,
                ports,
                externalPostgres,
                readyTimeout,
                serviceJvmOptions,
                changed,
                extraEnvironment,
                identityProvider);
    }

    /** {@code environment} added to every replica of {@code service} (one of the stack's services). */
    public StackConfig withEnvironment(BulwarkService service, Map<String, String> environment) {
        Map<BulwarkService, Map<String, String>> changed = new EnumMap<>(BulwarkService.class);
        changed.putAll(extraEnvironment);
        changed.put(service, environment);
        return new StackConfig(
                repositoryRoot,
                dataDir,
                services,
                ports,
                externalPostgres,
                readyTimeout,
                serviceJvmOptions,
                replicas,
                changed,
                identityProvider);
    }

    /** How many processes of {@code service} run: one unless {@link #withReplicas} said otherwise. */
    public int replicas(BulwarkService service) {
        return replicas.getOrDefault(service, 1);
    }

    /**
     * The port replica {@code replica} (1-based) of {@code service} listens on: the service's port, moved by
     * {@link #REPLICA_PORT_STEP} for each replica after the first (8084, 8184, …); 0 (pick a free one) stays 0.
     */
    public int replicaPort(BulwarkService service, int replica) {
        int base = ports.service(service);
        return base == 0 ? 0 : base + REPLICA_PORT_STEP * (replica - 1);
    }

    /** What {@link #withEnvironment} added to {@code service}'s environment; empty when nothing. */
    public Map<String, String> extraEnvironment(BulwarkService service) {
        return extraEnvironment.getOrDefault(service, Map.of());
    }

    /**
     * The processes that run, in their fixed order (device-registry first), whatever order they were named in; the
     * sign-out bridge only when the stack runs Keycloak (with the dev keys there is no identity provider to sign out
     * at).
     */
    public List<BulwarkService> orderedServices() {
        return EnumSet.copyOf(services).stream()
                .filter(s -> s != BulwarkService.SIGNOUT_BRIDGE || identityProvider == IdentityProvider.KEYCLOAK)
                .toList();
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    /** Keycloak's log, its admin client's secret and its unpacked distribution (175 MB, made once). */
    public Path keycloakDir() {
        return dataDir.resolve("keycloak");
    }

    public Path keysDir() {
        return dataDir.resolve("keys");
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public Path logFile(BulwarkService service) {
        return logFile(service, 1);
    }

    /** {@code logs/<service>.log} for the first replica, {@code logs/<service>-<n>.log} for replica n. */
    public Path logFile(BulwarkService service, int replica) {
        return logsDir().resolve(ServiceProcess.name(service, replica) + ".log");
    }

    private static Map<BulwarkService, Integer> checkedReplicas(
            Map<BulwarkService, Integer> replicas, Set<BulwarkService> services) {
        Map<BulwarkService, Integer> copy = new EnumMap<>(BulwarkService.class);
        replicas.forEach((service, count) -> {
            if (!services.contains(service)) {
                throw new IllegalArgumentException(
                        "replicas of " + service.moduleName() + ", which this stack does not run");
            }
            if (count < 1 || count > MAX_REPLICAS) {
                throw new IllegalArgumentException(
                        service.moduleName() + " replicas must be 1.." + MAX_REPLICAS + ", not " + count);
            }
            copy.put(service, count);
        });
        return Map.copyOf(copy);
    }

    private static Map<BulwarkService, Map<String, String>> copyOfEnvironment(
            Map<BulwarkService, Map<String, String>> environment, Set<BulwarkService> services) {
        Map<BulwarkService, Map<String, String>> copy = new EnumMap<>(BulwarkService.class);
        environment.forEach((service, env) -> {
            if (!services.contains(service)) {
                throw new IllegalArgumentException(
                        "settings for " + service.moduleName() + ", which this stack does not run");
            }
            copy.put(service, Map.copyOf(env));
        });
        return Map.copyOf(copy);
    }
}
