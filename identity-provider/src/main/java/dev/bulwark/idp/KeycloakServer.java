package dev.bulwark.idp;

import dev.bulwark.infra.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Keycloak, run as a child process from the {@code keycloak-quarkus-dist} zip Maven resolved: unpacked and
 * built for PostgreSQL once into a cache folder, started on 127.0.0.1 with its own database on the given PostgreSQL,
 * the {@link DemoRealm} imported on its first start, and stopped (the whole process tree) on {@link #close()}. Ready
 * means the management interface's {@code /health/ready} answers UP.
 */
public final class KeycloakServer implements AutoCloseable {

    private static final String DISTRIBUTION_RESOURCE = "/dev/bulwark/idp/keycloak-dist.path";

    /**
     * Build-time options of the unpacked distribution ({@code kc.sh build}); a change rebuilds it. {@code cache=local}:
     * one node, no cluster discovery.
     */
    private static final List<String> BUILD_OPTIONS =
            List.of("--db=postgres", "--health-enabled=true", "--cache=local");

    /** A small heap: the demo realm and a test's load need far less than kc.sh's default 512 MB cap. */
    private static final String HEAP = "-Xms64m -Xmx384m";

    /** The environment variable naming another JDK for Keycloak (e.g. /usr/lib/jvm/temurin-25-jdk-amd64). */
    public static final String JAVA_HOME_ENV = "BULWARK_KEYCLOAK_JAVA_HOME";

    private final Settings settings;
    private final int port;
    private final int managementPort;
    private final AdminClient adminClient;
    private final Process process;
    private final Path log;
    private volatile Duration startedIn = Duration.ZERO;

    private KeycloakServer(
            Settings settings, int port, int managementPort, AdminClient adminClient, Process process, Path log) {
        this.settings = settings;
        this.port = port;
        this.managementPort = managementPort;
        this.adminClient = adminClient;
        this.process = process;
        this.log = log;
    }

    /**
     * Where Keycloak runs and keeps its state.
     *
     * @param dataDir its log and the bootstrap admin client's secret
     * @param distributionCache where the zip is unpacked and built once (e.g. the data folder, or a build folder shared
     *     by test runs)
     * @param postgres the server Keycloak's database lives on
     * @param database the database's name, created if missing
     * @param port the HTTP port on 127.0.0.1 (0 picks a free one)
     * @param startTimeout how long the start may take before it fails with the end of Keycloak's log
     * @param buildTimeout how long the one-time unpack and build may take
     */
    public record Settings(
            Path dataDir,
            Path distributionCache,
            PostgresServer postgres,
            String database,
            int port,
            Duration startTimeout,
            Duration buildTimeout) {

        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);
        public static final Duration DEFAULT_BUILD_TIMEOUT = Duration.ofSeconds(600);

        public Settings {
            dataDir = dataDir.toAbsolutePath().normalize();
            distributionCache = distributionCache.toAbsolutePath().normalize();
            Objects.requireNonNull(postgres, "postgres");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, not " + port);
            }
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive");
            }
        }

        /** Database {@code keycloak}, a free port, everything under {@code dataDir}, the default time limits. */
        public static Settings of(Path dataDir, PostgresServer postgres) {
            return new Settings(
                    dataDir, dataDir, postgres, "keycloak", 0, DEFAULT_START_TIMEOUT, DEFAULT_BUILD_TIMEOUT);
        }

        public Settings withDistributionCache(Path chosen) {
            return new Settings(dataDir, chosen, postgres, database, port, startTimeout, buildTimeout);
        }

        public Settings withDatabase(String chosen) {
            return new Settings(dataDir, distributionCache, postgres, chosen, port, startTimeout, buildTimeout);
        }

        public Settings withPort(int chosen) {
            return new Settings(dataDir, distributionCache, postgres, database, chosen, startTimeout, buildTimeout);
        }

        public Settings withStartTimeout(Duration chosen) {
            return new Settings(dataDir, distributionCache, postgres, database, port, chosen, buildTimeout);
        }
    }

    /** The master realm's client with admin rights, created by Keycloak when it creates the master realm. */
    public record AdminClient(String clientId, String secret) {}

    /** Unpacks and builds the distribution if needed, starts Keycloak and waits until it is ready. */
    public static KeycloakServer start(Settings settings) {
        Instant begin = Instant.now();
        try {
            Files.createDirectories(settings.dataDir());
            Path home = Distribution.prepare(settings.distributionCache(), BUILD_OPTIONS, settings.buildTimeout());
            settings.postgres().createDatabaseIfMissing(settings.database());
            Path importDir = home.resolve("data").resolve("import");
            Files.createDirectories(importDir);
            try (InputStream realm = KeycloakServer.class.getResourceAsStream(DemoRealm.RESOURCE)) {
                Objects.requireNonNull(realm, "missing " + DemoRealm.RESOURCE);
                Files.copy(
                        realm, importDir.resolve(DemoRealm.NAME + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            int port = settings.port() == 0 ? freePort() : settings.port();
            int managementPort = freePort();
            AdminClient admin = adminClient(settings.dataDir());
            Path log = settings.dataDir().resolve("keycloak.log");
            List<String> command = new ArrayList<>(List.of(
                    "/bin/sh",
                    home.resolve("bin").resolve("kc.sh").toString(),
                    "start",
                    "--optimized",
                    "--http-enabled=true",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    "--http-management-port=" + managementPort,
                    // A fixed issuer: tokens name http://127.0.0.1:<port>/realms/bulwark-demo however they are asked.
                    "--hostname=http://127.0.0.1:" + port,
                    "--import-realm"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            environment(env);
            // The database settings go by environment, so the password is not on a command line others can read.
            env.put("KC_DB_URL", settings.postgres().jdbcUrl(settings.database()));
            env.put("KC_DB_USERNAME", settings.postgres().username());
            if (!settings.postgres().password().isEmpty()) {
                env.put("KC_DB_PASSWORD", settings.postgres().password());
            }
            // Used only when Keycloak creates the master realm, i.e. on the first start on a database.
            env.put("KC_BOOTSTRAP_ADMIN_CLIENT_ID", admin.clientId());
            env.put("KC_BOOTSTRAP_ADMIN_CLIENT_SECRET", admin.secret());
            Process process = builder.start();
            KeycloakServer server = new KeycloakServer(settings, port, managementPort, admin, process, log);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "keycloak-stop"));
            server.awaitReady(settings.startTimeout());
            server.startedIn = Duration.between(begin, Instant.now());
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Keycloak in " + settings.dataDir(), e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The demo realm's issuer, {@code http://127.0.0.1:<port>/realms/bulwark-demo}: the {@code iss} of its tokens. */
    public String issuer() {
        return issuer(DemoRealm.NAME);
    }

    public String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /** The demo realm's token endpoint (password, client-credentials, refresh and device-code grants). */
    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** The management interface ({@code /health/ready}, {@code /health/live}). */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public int port() {
        return port;
    }

    /** The master realm's admin client: a client-credentials token from it may call the whole admin REST API. */
    public AdminClient adminClient() {
        return adminClient;
    }

    /** How long {@link #start} took, unpacking and building included. */
    public Duration startedIn() {
        return startedIn;
    }

    /** Where its log and the admin client's secret are. */
    public Path dataDirectory() {
        return settings.dataDir();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The Keycloak JVM's process id (a child of the kc.sh shell), if it is running. */
    public Optional<Long> javaPid() {
        return process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid)
                .findFirst();
    }

    /** Stops Keycloak (SIGTERM, which kc.sh forwards; SIGKILL to the whole tree after 30 s) and waits for it. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        if (!process.isAlive() && tree.isEmpty()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : tree) {
                if (child.isAlive()) {
                    child.destroy();
                    child.onExit().get(20, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public String toString() {
        return "Keycloak at " + baseUrl() + " (database " + settings.database() + " on "
                + settings.postgres().address() + ")";
    }

    private void awaitReady(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        Instant deadline = Instant.now().plus(timeout);
        try {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "Keycloak exited with " + process.exitValue() + "; see " + log + ":\n" + tail(log));
                }
                try {
                    HttpResponse<String> answer = http.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200 && answer.body().contains("\"UP\"")) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Keycloak", e);
        }
        close();
        throw new IllegalStateException(
                "Keycloak was not ready within " + timeout + "; see " + log + ":\n" + tail(log));
    }

    /** The JDK and the heap for kc.sh: {@value #JAVA_HOME_ENV} if set, else the JDK running this JVM. */
    static void environment(Map<String, String> env) {
        String javaHome = System.getenv(JAVA_HOME_ENV);
        env.put(
                "JAVA_HOME",
                javaHome == null || javaHome.isBlank() ? System.getProperty("java.home") : javaHome.trim());
        env.put("JAVA_OPTS_KC_HEAP", HEAP);
        // Settings meant for another Keycloak must not leak into this one.
        env.keySet().removeIf(name -> name.startsWith("KC_") || name.equals("JAVA_OPTS"));
    }

    /** The bootstrap admin client's id and secret, made once per data folder and kept in {@code admin-client.properties}. */
    private static AdminClient adminClient(Path dataDir) throws IOException {
        Path file = dataDir.resolve("admin-client.properties");
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
        }
        String id = properties.getProperty("client-id");
        String secret = properties.getProperty("client-secret");
        if (id != null && secret != null) {
            return new AdminClient(id, secret);
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        AdminClient made = new AdminClient("bulwark-local-admin", HexFormat.of().formatHex(random));
        Files.writeString(
                file,
                "# Keycloak's master-realm admin client (client-credentials grant), made on the first start.\n"
                        + "client-id=" + made.clientId() + "\nclient-secret=" + made.secret() + "\n",
                StandardCharsets.UTF_8);
        return made;
    }

    static String tail(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file) : "";
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** The zip in the local Maven repository, as the build wrote it. */
    static Path distributionZip() {
        try (InputStream in = KeycloakServer.class.getResourceAsStream(DISTRIBUTION_RESOURCE)) {
            Objects.requireNonNull(
                    in, "missing " + DISTRIBUTION_RESOURCE + ": build the identity-provider module with Maven");
            Path zip = Path.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
            if (!Files.isRegularFile(zip)) {
                throw new IllegalStateException(
                        zip + " is gone from the Maven repository: build the identity-provider module again");
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
