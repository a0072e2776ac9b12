package dev.bulwark.deploy;

import dev.bulwark.idp.KeycloakServer;
import dev.bulwark.infra.DevKeys;
import dev.bulwark.infra.PostgresServer;
import dev.bulwark.infra.TopicBootstrap;
import dev.bulwark.kafka.KafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Starts a whole Bulwark stack without Docker — real Kafka, real PostgreSQL, and each service as its own JVM from its
 * packaged jar — and hands back a {@link RunningStack} once every service reports ready. The same code serves the
 * developer's {@code ./bulwark up} and the cross-service scenario tests, so what the tests prove is what people run.
 */
public final class StackLauncher {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The environment variable that gives each service the issuer of the stack's Keycloak ({@code --idp keycloak}),
     * e.g. {@code http://127.0.0.1:18080/realms/bulwark-demo}; the services find its keys by OIDC discovery.
     */
    public static final String OIDC_ISSUER_ENV = "BULWARK_OIDC_KEYCLOAK_ISSUER";

    /** Keycloak's database on the stack's PostgreSQL. */
    public static final String KEYCLOAK_DATABASE = "keycloak";

    private final PrintStream progress;

    private StackLauncher(PrintStream progress) {
        this.progress = progress;
    }

    /** Starts the stack, reporting progress on standard error. */
    public static RunningStack start(StackConfig config) {
        return start(config, System.err);
    }

    /**
     * Starts the stack, reporting each step on {@code progress}. If any part fails, everything already started is
     * stopped before the {@link StackStartException} is thrown.
     */
    public static RunningStack start(StackConfig config, PrintStream progress) {
        try {
            return new StackLauncher(progress).launch(config);
        } catch (StackStartException e) {
            progress.println(e.getMessage());
            throw e;
        }
    }

    private RunningStack launch(StackConfig config) {
        Instant begin = Instant.now();
        requireBuiltServices(config);
        requireFreePorts(config);
        createFolders(config);

        // Kafka and PostgreSQL start side by side; their own threads, as the common pool may have just one.
        ExecutorService infra = Executors.newFixedThreadPool(2, daemon("start-infrastructure"));
        CompletableFuture<KafkaBroker> kafkaStart = CompletableFuture.supplyAsync(() -> startKafka(config), infra);
        CompletableFuture<PostgresServer> postgresStart =
                CompletableFuture.supplyAsync(() -> startPostgres(config), infra);
        Optional<KafkaBroker> kafka = settle(kafkaStart);
        Optional<PostgresServer> postgres = settle(postgresStart);
        infra.shutdown();
        if (kafka.isEmpty() || postgres.isEmpty()) {
            RunningStack.stopAll(List.of(), kafka, postgres);
            throw new StackStartException(
                    "The infrastructure did not start: " + describeFailure(kafkaStart, postgresStart),
                    firstFailure(kafkaStart, postgresStart));
        }

        DevKeys keys;
        try {
            for (BulwarkService service : BulwarkService.values()) {
                if (service.hasDatabase()) {
                    postgres.get().createDatabaseIfMissing(service.database());
                }
            }
            List<String> created = TopicBootstrap.createAll(kafka.get().bootstrapServers());
            progress.println("Topics: " + (created.isEmpty() ? "all there already" : created.size() + " created"));
            keys = DevKeys.loadOrCreate(config.keysDir());
        } catch (RuntimeException e) {
            RunningStack.stopAll(List.of(), kafka, postgres);
            throw new StackStartException("Could not prepare databases, topics or keys: " + e.getMessage(), e);
        }
        progress.println("Kafka at " + kafka.get().bootstrapServers() + ", PostgreSQL at "
                + postgres.get().address() + " ("
                + StackTimings.seconds(Duration.between(begin, Instant.now())) + ")");
        Optional<KeycloakServer> keycloak = Optional.empty();
        if (config.identityProvider() == IdentityProvider.KEYCLOAK) {
            try {
                progress.println("Starting Keycloak (database " + KEYCLOAK_DATABASE + "; log "
                        + config.keycloakDir().resolve("keycloak.log") + "; a first start also unpacks and builds it)");
                keycloak = Optional.of(
                        KeycloakServer.start(KeycloakServer.Settings.of(config.keycloakDir(), postgres.get())
                                .withDatabase(KEYCLOAK_DATABASE)
                                .withPort(config.ports().keycloak())));
                progress.println("Keycloak at " + keycloak.get().baseUrl() + " ("
                        + StackTimings.seconds(keycloak.get().startedIn()) + ")");
            } catch (RuntimeException e) {
                RunningStack.stopAll(List.of(), kafka, postgres);
                throw new StackStartException("Keycloak did not start: " + e.getMessage(), e);
            }
        }
        Duration infrastructure = Duration.between(begin, Instant.now());
        Optional<String> issuer = keycloak.map(KeycloakServer::issuer);

        List<ServiceProcess> started = new ArrayList<>();
        try {
            for (BulwarkService service : config.orderedServices()) {
                for (int replica = 1; replica <= config.replicas(service); replica++) {
                    int fixed = config.replicaPort(service, replica);
                    int port = fixed == 0 ? LocalPorts.free() : fixed;
                    Map<String, String> environment = new LinkedHashMap<>(
                            switch (service) {
                                case GATEWAY -> gatewayEnvironment(port, config, started);
                                case SIGNOUT_BRIDGE -> bridgeEnvironment(
                                        port, kafka.get().bootstrapServers(), keycloak.orElseThrow());
                                default -> serviceEnvironment(port, postgres.get(), service, kafka.get(), keys);
                            });
                    environment.putAll(identityEnvironment(service, issuer));
                    environment.putAll(deviceCredentialEnvironment(service, keys, config, started));
                    environment.putAll(config.extraEnvironment(service));
                    started.add(ServiceProcess.start(
                            service,
                            replica,
                            service.runJar(config.repositoryRoot()),
                            port,
                            environment,
                            config.serviceJvmOptions(),
                            config.logFile(service, replica)));
                }
            }
            progress.println("Started "
                    + started.stream().map(ServiceProcess::name).collect(Collectors.joining(", "))
                    + "; waiting for them to be ready (logs in "
                    + config.logsDir() + ")");
            Map<BulwarkService, Duration> readiness = awaitAllReady(started, config.readyTimeout());
            StackTimings timings = new StackTimings(infrastructure, readiness, Duration.between(begin, Instant.now()));
            return new RunningStack(config, kafka.get(), postgres.get(), keycloak, keys, started, timings);
        } catch (RuntimeException e) {
            RunningStack.stopAll(started, keycloak, kafka, postgres);
            if (e instanceof StackStartException startFailure) {
                throw startFailure;
            }
            throw new StackStartException("Could not start the services: " + e.getMessage(), e);
        }
    }

    /**
     * The environment a service reads its whole configuration from; these names are the standard MicroProfile/Quarkus
     * mappings of {@code quarkus.http.port}, {@code quarkus.datasource.*}, {@code kafka.bootstrap.servers} and
     * {@code mp.jwt.verify.*}, so the same service jar runs unchanged here and in a container.
     */
    static Map<String, String> serviceEnvironment(
            int port, PostgresServer postgres, BulwarkService service, KafkaBroker kafka, DevKeys keys) {
        return serviceEnvironment(
                port,
                postgres.jdbcUrl(service.database()),
                postgres.username(),
                postgres.password(),
                kafka.bootstrapServers(),
                keys.publicKeyPath());
    }

    static Map<String, String> serviceEnvironment(
            int port, String jdbcUrl, String dbUser, String dbPassword, String bootstrapServers, Path publicKey) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // The local stack is for this machine only.
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // production logs are JSON lines; a developer reads text (a scenario that checks the JSON turns it back on)
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", dbUser);
        env.put("QUARKUS_DATASOURCE_PASSWORD", dbPassword);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toString());
        env.put("MP_JWT_VERIFY_ISSUER", DevKeys.DEFAULT_ISSUER);
        return env;
    }

    /**
     * What a service is told about the stack's identity provider when the stack runs Keycloak: one OIDC issuer named
     * {@code keycloak} (service-kit's {@code bulwark.oidc.*}, as an operator would configure it) mapped for the demo
     * realm — tenant from its {@code tenant_id} claim, roles from {@code realm_access.roles} ({@code bulwark-admin} is
     * Bulwark's admin, {@code bulwark-user} its user), the person's username as the user id, audience {@code bulwark}.
     * The dev key settings stay, so {@code ./bulwark token} keeps working. Nothing for the gateway, which passes tokens
     * on untouched.
     */
    static Map<String, String> identityEnvironment(BulwarkService service, Optional<String> issuer) {
        if (!service.hasDatabase() || issuer.isEmpty()) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BULWARK_OIDC_ISSUERS", "keycloak");
        env.put(OIDC_ISSUER_ENV, issuer.get());
        env.put("BULWARK_OIDC_KEYCLOAK_AUDIENCE", dev.bulwark.idp.DemoRealm.AUDIENCE);
        env.put("BULWARK_OIDC_KEYCLOAK_TENANT_CLAIM", "tenant_id");
        env.put("BULWARK_OIDC_KEYCLOAK_ROLES_CLAIM", "realm_access.roles");
        env.put(
                "BULWARK_OIDC_KEYCLOAK_ROLE_MAP",
                dev.bulwark.idp.DemoRealm.ADMIN_ROLE + "=admin," + dev.bulwark.idp.DemoRealm.USER_ROLE + "=user");
        env.put("BULWARK_OIDC_KEYCLOAK_USER_CLAIM", "preferred_username");
        // a key rotated at the local Keycloak is fetched at the first token that names it, not 30 s later
        env.put("BULWARK_OIDC_JWKS_MIN_REFRESH_INTERVAL", "PT1S");
        return env;
    }

    /**
     * How a service signs or verifies device credentials: device-registry signs them with the stack's device key (one
     * file in the keys folder, so every replica signs alike and credentials outlive a restart); the other services
     * fetch its public keys from device-registry's JWKS (its first replica's, started before them). Nothing for the
     * gateway.
     */
    static Map<String, String> deviceCredentialEnvironment(
            BulwarkService service, DevKeys keys, StackConfig config, List<ServiceProcess> started) {
        if (!service.hasDatabase()) {
            return Map.of();
        }
        if (service == BulwarkService.DEVICE_REGISTRY) {
            return Map.of(
                    "BULWARK_DEVICE_CREDENTIALS_SIGNING_KEY_LOCATION",
                    keys.deviceCredentialKeyPath().toString());
        }
        String registry = started.stream()
                .filter(p -> p.service() == BulwarkService.DEVICE_REGISTRY && p.replica() == 1)
                .map(ServiceProcess::url)
                .findFirst()
                .orElse("http://127.0.0.1:" + config.replicaPort(BulwarkService.DEVICE_REGISTRY, 1));
        return Map.of("BULWARK_DEVICE_CREDENTIALS_JWKS_URI", registry + "/.well-known/jwks.json");
    }

    /**
     * The sign-out bridge's environment: its port, the broker, and the stack's Keycloak with the demo realm's bridge
     * client (a demo secret, local stack only). People's user id in Bulwark is their username (see
     * {@link #identityEnvironment}), so the bridge finds them by username, its default.
     */
    static Map<String, String> bridgeEnvironment(int port, String bootstrapServers, KeycloakServer keycloak) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // production logs are JSON lines; a developer reads text (a scenario that checks the JSON turns it back on)
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_URL", keycloak.baseUrl());
        env.put("BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_REALM", dev.bulwark.idp.DemoRealm.NAME);
        env.put("BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_ID", dev.bulwark.idp.DemoRealm.SIGNOUT_BRIDGE_CLIENT);
        env.put("BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_SECRET", dev.bulwark.idp.DemoRealm.SIGNOUT_BRIDGE_SECRET);
        return env;
    }

    /**
     * The gateway's environment: its port, and each service's address (its first replica's, as started; the
     * configured port when the stack runs without that service, so the gateway answers 502 for it).
     */
    static Map<String, String> gatewayEnvironment(int port, StackConfig config, List<ServiceProcess> started) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // production logs are JSON lines; a developer reads text (a scenario that checks the JSON turns it back on)
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        for (BulwarkService service : BulwarkService.services()) {
            String url = started.stream()
                    .filter(process -> process.service() == service && process.replica() == 1)
                    .map(ServiceProcess::url)
                    .findFirst()
                    .orElse("http://127.0.0.1:" + config.replicaPort(service, 1));
            env.put("BULWARK_GATEWAY_UPSTREAM_" + service.name(), url);
        }
        return env;
    }

    /** Waits for every process; per service, the time until its last replica was ready. */
    private Map<BulwarkService, Duration> awaitAllReady(List<ServiceProcess> started, Duration timeout) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(started.size(), daemon("await-ready"));
        try {
            ExecutorCompletionService<Map.Entry<ServiceProcess, Duration>> waits =
                    new ExecutorCompletionService<>(pool);
            for (ServiceProcess process : started) {
                waits.submit(() -> Map.entry(process, process.awaitReady(http, timeout)));
            }
            Map<BulwarkService, Duration> readiness = new EnumMap<>(BulwarkService.class);
            for (int i = 0; i < started.size(); i++) {
                // The first failure ends the wait: no point waiting two minutes for the others.
                Map.Entry<ServiceProcess, Duration> ready = waits.take().get();
                readiness.merge(ready.getKey().service(), ready.getValue(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
                progress.println("  " + ready.getKey().name() + " ready in " + StackTimings.seconds(ready.getValue()));
            }
            return readiness;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StackStartException("waiting for the services failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackStartException("interrupted while waiting for the services", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private KafkaBroker startKafka(StackConfig config) {
        return KafkaBroker.start(config.kafkaDir(), config.ports().kafka(), KAFKA_TIMEOUT);
    }

    private PostgresServer startPostgres(StackConfig config) {
        return config.externalPostgres()
                .map(db -> PostgresServer.external(db.adminJdbcUrl(), db.username(), db.password()))
                .orElseGet(() -> PostgresServer.embedded(
                        config.postgresDir(), config.ports().postgres()));
    }

    private static void requireBuiltServices(StackConfig config) {
        List<Path> missing = config.orderedServices().stream()
                .map(service -> service.runJar(config.repositoryRoot()))
                .filter(jar -> !Files.isRegularFile(jar))
                .toList();
        if (!missing.isEmpty()) {
            throw new StackStartException("Build the services first — missing: "
                    + missing.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + "\nRun `mvn -B -q install -DskipTests` in " + config.repositoryRoot()
                    + " (./bulwark up does this by itself).");
        }
    }

    private static void requireFreePorts(StackConfig config) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("Kafka", config.ports().kafka());
        if (config.externalPostgres().isEmpty()) {
            wanted.put("PostgreSQL", config.ports().postgres());
        }
        if (config.identityProvider() == IdentityProvider.KEYCLOAK) {
            wanted.put("Keycloak", config.ports().keycloak());
        }
        for (BulwarkService service : config.orderedServices()) {
            for (int replica = 1; replica <= config.replicas(service); replica++) {
                wanted.put(ServiceProcess.name(service, replica), config.replicaPort(service, replica));
            }
        }
        List<String> busy = wanted.entrySet().stream()
                .filter(e -> e.getValue() != 0 && !LocalPorts.isFree(e.getValue()))
                .map(e -> e.getKey() + " " + e.getValue())
                .toList();
        if (!busy.isEmpty()) {
            throw new StackStartException("Ports already in use: " + String.join(", ", busy)
                    + ". Is another stack running? Stop it, or move this one with --port-offset.");
        }
    }

    private static void createFolders(StackConfig config) {
        try {
            Files.createDirectories(config.logsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + config.logsDir(), e);
        }
    }

    private static <T> Optional<T> settle(CompletableFuture<T> start) {
        try {
            return Optional.of(start.join());
        } catch (CompletionException e) {
            return Optional.empty();
        }
    }

    private static String describeFailure(CompletableFuture<?>... starts) {
        List<String> reasons = new ArrayList<>();
        for (CompletableFuture<?> start : starts) {
            Throwable failure = failureOf(start);
            if (failure != null) {
                reasons.add(failure.getMessage());
            }
        }
        return String.join("; ", reasons);
    }

    private static Throwable firstFailure(CompletableFuture<?>... starts) {
        for (CompletableFuture<?> start : starts) {
            Throwable failure = failureOf(start);
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    private static Throwable failureOf(CompletableFuture<?> start) {
        try {
            start.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }
}
