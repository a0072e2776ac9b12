package dev.bulwark.deploy;

import dev.bulwark.idp.KeycloakServer;
import dev.bulwark.infra.DevKeys;
import dev.bulwark.infra.PostgresServer;
import dev.bulwark.kafka.KafkaBroker;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started stack: where each part answers (every replica of a service has its own address and process), tokens its
 * services accept, and the one {@link #close()} that stops it all in order — the services first (so none of them sees
 * its broker or database vanish while it still works), then Keycloak if the stack runs one, then Kafka, then
 * PostgreSQL.
 */
public final class RunningStack implements AutoCloseable {

    private final StackConfig config;
    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private final Optional<KeycloakServer> keycloak;
    private final DevKeys keys;
    /** Each service's processes, replica 1 first; an entry is replaced when its replica is started again. */
    private final Map<BulwarkService, List<ServiceProcess>> services;

    private final StackTimings timings;
    private final AtomicBoolean closed = new AtomicBoolean();

    RunningStack(
            StackConfig config,
            KafkaBroker kafka,
            PostgresServer postgres,
            Optional<KeycloakServer> keycloak,
            DevKeys keys,
            List<ServiceProcess> processes,
            StackTimings timings) {
        this.config = config;
        this.kafka = kafka;
        this.postgres = postgres;
        this.keycloak = keycloak;
        this.keys = keys;
        this.services = new LinkedHashMap<>();
        for (ServiceProcess process : processes) {
            this.services
                    .computeIfAbsent(process.service(), s -> new ArrayList<>())
                    .add(process);
        }
        this.timings = timings;
    }

    public StackConfig config() {
        return config;
    }

    /** The base address of a running service (its first replica), e.g. {@code http://127.0.0.1:8081}. */
    public String url(BulwarkService service) {
        return process(service).url();
    }

    /** Whether the stack runs {@code service} (the services it was started with). */
    public synchronized boolean runs(BulwarkService service) {
        return services.containsKey(service);
    }

    /** Every process of the stack, device-registry first, each service's replicas in order. */
    public synchronized List<ServiceProcess> services() {
        return services.values().stream().flatMap(List::stream).toList();
    }

    /** The service's first replica (its only process unless the stack runs replicas of it). */
    public ServiceProcess process(BulwarkService service) {
        return replicas(service).get(0);
    }

    /**
     * Every replica of the service, replica 1 first — each with its own address and process, so that a test can stop
     * or {@link ServiceProcess#kill() kill} one and go on with the others.
     */
    public synchronized List<ServiceProcess> replicas(BulwarkService service) {
        List<ServiceProcess> replicas = services.get(service);
        if (replicas == null) {
            throw new NoSuchElementException(service.moduleName() + " is not part of this stack");
        }
        return List.copyOf(replicas);
    }

    /** What Kafka clients connect to, {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Host and port of PostgreSQL. */
    public String postgresAddress() {
        return postgres.address();
    }

    public String postgresUser() {
        return postgres.username();
    }

    /** The JDBC URL of a service's own database. */
    public String jdbcUrl(BulwarkService service) {
        return postgres.jdbcUrl(service.database());
    }

    /** The stack's Keycloak ({@code --idp keycloak}); empty when tokens come from the dev key pair alone. */
    public Optional<KeycloakServer> keycloak() {
        return keycloak;
    }

    public boolean embeddedPostgres() {
        return config.externalPostgres().isEmpty();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** The PEM file the services verify tokens with. */
    public Path publicKey() {
        return keys.publicKeyPath();
    }

    public StackTimings timings() {
        return timings;
    }

    /** A token the stack's services accept. */
    public String mintToken(TokenRequest request) {
        return request.mintWith(keys);
    }

    /** A token for {@code subject} in {@code tenantId} with {@code role} (and, for a device, its id). */
    public String mintToken(String tenantId, Role role, String subject, Optional<String> deviceId) {
        return mintToken(TokenRequest.of(tenantId, role, Optional.of(subject), deviceId));
    }

    /** A tenant administrator's token. */
    public String adminToken(String tenantId) {
        return mintToken(TokenRequest.admin(tenantId));
    }

    /** A managed device agent's token, acting for {@code deviceId} only. */
    public String deviceToken(String tenantId, String deviceId) {
        return mintToken(TokenRequest.device(tenantId, deviceId));
    }

    /**
     * Stops one service — gracefully, or with SIGKILL when {@code crash} — and starts it again on the same port with
     * the same database, as an operator's restart or a crashed pod's replacement would; returns once it is ready.
     * The rest of the stack keeps running.
     */
    public ServiceProcess restart(BulwarkService service, boolean crash, Duration readyTimeout) {
        ServiceProcess old = process(service);
        if (crash) {
            old.kill();
        } else {
            old.stop();
        }
        return startAgain(service, readyTimeout);
    }

    /**
     * Starts a service of this stack (its first replica) again after it ended (for instance after {@link
     * ServiceProcess#kill()}); returns once it is ready.
     */
    public ServiceProcess startAgain(BulwarkService service, Duration readyTimeout) {
        return startAgain(process(service), readyTimeout);
    }

    /**
     * Starts one process of this stack again after it ended — same replica, port, database and settings; returns once
     * it is ready.
     */
    public ServiceProcess startAgain(ServiceProcess ended, Duration readyTimeout) {
        ServiceProcess again = ended.startAgain();
        synchronized (this) {
            List<ServiceProcess> replicas = services.get(ended.service());
            int index = replicas == null ? -1 : replicas.indexOf(ended);
            if (index < 0) {
                throw new NoSuchElementException(ended.name() + " is not a current process of this stack");
            }
            replicas.set(index, again);
        }
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        again.awaitReady(http, readyTimeout);
        return again;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Stops the services (in parallel, each given 10 s to shut down), then Kafka, then PostgreSQL. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopAll(services(), keycloak, Optional.of(kafka), Optional.of(postgres));
    }

    /** Stops what a start got as far as starting; used when a start fails half-way too. */
    static void stopAll(List<ServiceProcess> services, Optional<KafkaBroker> kafka, Optional<PostgresServer> postgres) {
        stopAll(services, Optional.empty(), kafka, postgres);
    }

    /** Stops the services, then Keycloak, Kafka and PostgreSQL, as far as they were started. */
    static void stopAll(
            List<ServiceProcess> services,
            Optional<KeycloakServer> keycloak,
            Optional<KafkaBroker> kafka,
            Optional<PostgresServer> postgres) {
        // One thread per service: each stop may wait its full grace period, and they should not wait in turn.
        List<Thread> stoppers = services.stream()
                .map(service -> new Thread(service::stop, "stop-" + service.name()))
                .toList();
        stoppers.forEach(Thread::start);
        for (Thread stopper : stoppers) {
            joinUninterruptibly(stopper);
        }
        keycloak.ifPresent(RunningStack::quietly);
        kafka.ifPresent(RunningStack::quietly);
        postgres.ifPresent(RunningStack::quietly);
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void quietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("Could not stop " + resource + ": " + e.getMessage());
        }
    }
}
