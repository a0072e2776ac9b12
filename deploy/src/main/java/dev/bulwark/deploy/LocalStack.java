package dev.bulwark.deploy;

import dev.bulwark.idp.DemoRealm;
import dev.bulwark.idp.KeycloakServer;
import dev.bulwark.infra.DevKeys;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * {@code ./bulwark}: the developer's entry to the no-Docker stack — {@code up} starts it and stops it on Ctrl-C,
 * {@code token} mints bearer tokens its services accept, {@code events} shows what a topic carries.
 */
public final class LocalStack {

    /** The repository root, set by the {@code bulwark} script. */
    public static final String ROOT_PROPERTY = "bulwark.root";

    /** JVM options for every service process instead of {@link StackConfig#DEFAULT_SERVICE_JVM_OPTIONS}. */
    public static final String SERVICE_JAVA_OPTS_ENV = "BULWARK_SERVICE_JAVA_OPTS";

    private static final String DEFAULT_BOOTSTRAP = "127.0.0.1:" + StackPorts.DEFAULT_KAFKA;
    private static final String DEMO_TENANT = "demo";

    private LocalStack() {}

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // Kafka's and embedded PostgreSQL's chatter belongs in their own logs, not on the user's terminal.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path root = repositoryRoot();
        Command command;
        try {
            command = CommandLine.parse(List.of(args), System.getenv(), root);
        } catch (IllegalArgumentException e) {
            System.err.println("bulwark: " + e.getMessage() + "\n");
            System.err.print(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        int exitCode;
        try {
            exitCode = run(command, root, System.out);
        } catch (StackStartException e) {
            // The launcher has printed the reason (with the end of the failing service's log) already.
            System.err.println("\nbulwark: the stack did not start; everything it had started is stopped again.");
            exitCode = 1;
        } catch (RuntimeException e) {
            System.err.println("bulwark: " + e);
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    static int run(Command command, Path root, PrintStream out) {
        if (command instanceof Command.Up up) {
            return up(up, root, out);
        }
        if (command instanceof Command.Token token) {
            out.println(token.request()
                    .mintWith(DevKeys.loadOrCreate(token.dataDir().resolve("keys"))));
            return 0;
        }
        if (command instanceof Command.Events events) {
            return events(events, out);
        }
        if (command instanceof Command.DeadLetters deadLetters) {
            return deadLetters(deadLetters, out);
        }
        out.print(CommandLine.USAGE);
        return 0;
    }

    private static int up(Command.Up up, Path root, PrintStream out) {
        StackConfig config = withReplicas(
                StackConfig.defaults(root, up.dataDir(), System.getenv())
                        .withServices(up.services())
                        .withPorts(StackPorts.defaults().shiftedBy(up.portOffset()))
                        .withServiceJvmOptions(serviceJvmOptions(System.getenv()))
                        .withIdentityProvider(up.identityProvider()),
                up.replicas());
        AtomicReference<RunningStack> running = new AtomicReference<>();
        AtomicReference<DemoRun> demo = new AtomicReference<>();
        // Registered before the start, so Ctrl-C during a start stops what has been started so far too. The demo fleet
        // stops first (and prints its summary) while the services it talks to are still there.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            DemoRun fleet = demo.get();
                            if (fleet != null) {
                                fleet.stop();
                            }
                            stop(running.get(), config, out);
                        },
                        "bulwark-stop"));
        out.println("Starting the Bulwark local stack in " + config.dataDir());
        RunningStack stack = StackLauncher.start(config, out);
        running.set(stack);
        StackInfoFile.write(stack);
        watchForDeaths(stack);
        out.println(summary(stack, config, root));
        out.flush();
        if (up.demo()) {
            DemoRun fleet = new DemoRun(config.dataDir(), !up.exitWhenReady());
            demo.set(fleet);
            out.println(DemoRun.guide(
                    stack.url(BulwarkService.GATEWAY),
                    stack.adminToken(DemoRun.TENANT),
                    stack.mintToken(DemoRun.TENANT, Role.USER, "alice", Optional.empty()),
                    dataDirOption(config, root),
                    !up.exitWhenReady()));
            out.flush();
            if (up.exitWhenReady()) {
                int code = fleet.runHere(out);
                demo.set(null);
                stop(stack, config, out);
                return code;
            }
            // A failed seed leaves the stack running: the user can look at what failed and try ./bulwark demo-seed.
            fleet.start(out);
        }
        if (up.exitWhenReady()) {
            stop(stack, config, out);
            return 0;
        }
        out.println("Ctrl-C stops everything.");
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int events(Command.Events events, PrintStream out) {
        String bootstrap = events.bootstrap()
                .or(() -> StackInfoFile.bootstrapServers(events.dataDir()))
                .orElse(DEFAULT_BOOTSTRAP);
        System.err.println("Reading " + events.topic() + " on " + bootstrap
                + (events.fromBeginning() ? " from its beginning" : " from now on") + " (Ctrl-C to stop)");
        try (EventDump dump = EventDump.open(bootstrap, events.topic(), events.fromBeginning())) {
            Thread hook = new Thread(dump::stop, "bulwark-events-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            int count = dump.run(out, events.maxIdle());
            System.err.println(count + " event(s)");
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C ended the dump: the hook is running already.
            }
        }
        return 0;
    }

    /**
     * Lists or re-drives a running service's dead letters through its admin endpoint, as an operator (a token signed
     * with the stack's key); prints the JSON answer. Exit code 1 when the service is not running or refuses.
     */
    private static int deadLetters(Command.DeadLetters command, PrintStream out) {
        String url = StackInfoFile.serviceUrl(command.dataDir(), command.service())
                .orElseThrow(() -> new IllegalStateException(command.service().moduleName() + " is not running on "
                        + command.dataDir() + " (start it with ./bulwark up)"));
        String token = TokenRequest.of("operations", Role.OPERATOR, Optional.empty(), Optional.empty())
                .mintWith(DevKeys.loadOrCreate(command.dataDir().resolve("keys")));
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .timeout(java.time.Duration.ofMinutes(5));
        request = command.redrive()
                ? request.uri(URI.create(url + "/api/v1/admin/dead-letters/redrive"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                : request.uri(URI.create(url + "/api/v1/admin/dead-letters")).GET();
        try {
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            out.println(response.body());
            if (response.statusCode() != 200) {
                System.err.println("bulwark: " + command.service().moduleName() + " answered " + response.statusCode());
                return 1;
            }
            return 0;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not reach " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** {@code config} with the replica counts {@code up --replicas} asked for. */
    static StackConfig withReplicas(StackConfig config, java.util.Map<BulwarkService, Integer> replicas) {
        StackConfig chosen = config;
        for (java.util.Map.Entry<BulwarkService, Integer> entry : replicas.entrySet()) {
            chosen = chosen.withReplicas(entry.getKey(), entry.getValue());
        }
        return chosen;
    }

    /** {@code $BULWARK_SERVICE_JAVA_OPTS} split at spaces (e.g. to attach a debugger), else the lean defaults. */
    static List<String> serviceJvmOptions(java.util.Map<String, String> env) {
        String options = env.getOrDefault(SERVICE_JAVA_OPTS_ENV, "").trim();
        return options.isEmpty() ? StackConfig.DEFAULT_SERVICE_JVM_OPTIONS : List.of(options.split("\\s+"));
    }

    /** Stops the stack if it got that far, then anything this JVM started that is still alive. */
    private static synchronized void stop(RunningStack stack, StackConfig config, PrintStream out) {
        if (stack != null && !stack.isClosed()) {
            Instant begin = Instant.now();
            out.println("Stopping the services, " + (stack.keycloak().isPresent() ? "Keycloak, " : "")
                    + "Kafka and PostgreSQL ...");
            stack.close();
            out.println("Stopped in " + StackTimings.seconds(Duration.between(begin, Instant.now())) + ".");
        }
        StackInfoFile.remove(config.dataDir());
        killLeftovers();
    }

    private static void killLeftovers() {
        List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
        left.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plusSeconds(10);
        for (ProcessHandle process : left) {
            try {
                process.onExit()
                        .get(
                                Math.max(
                                        1,
                                        Duration.between(Instant.now(), deadline)
                                                .toMillis()),
                                java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }

    private static void watchForDeaths(RunningStack stack) {
        for (ServiceProcess service : stack.services()) {
            // Ctrl-C in a terminal reaches the services too, and they may end before the stop hook has begun:
            // look a moment later, and only warn about a service that died while nobody was stopping the stack.
            service.onExit()
                    .thenAcceptAsync(
                            process -> {
                                if (!stack.isClosed() && !shuttingDown()) {
                                    System.err.println("\nWARNING: " + service.name() + " exited with code "
                                            + process.exitValue() + "; see " + service.log() + "\n"
                                            + service.tailOfLog());
                                }
                            },
                            java.util.concurrent.CompletableFuture.delayedExecutor(
                                    1, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    static String summary(RunningStack stack, StackConfig config, Path root) {
        StringBuilder text = new StringBuilder("\nBulwark local stack ready in ")
                .append(StackTimings.seconds(stack.timings().total()))
                .append(
                        stack.keycloak().isPresent()
                                ? " (Kafka, PostgreSQL, Keycloak, topics and keys "
                                : " (Kafka, PostgreSQL, topics and keys ")
                .append(StackTimings.seconds(stack.timings().infrastructure()))
                .append(")\n\n");
        for (ServiceProcess service : stack.services()) {
            if (service.service() == BulwarkService.GATEWAY) {
                text.append(String.format(
                        "  %-20s %-24s the one address: /api/v1/..., /portal, OpenAPI of each service at /%n",
                        service.name(), service.url()));
                continue;
            }
            String memory = service.residentKilobytes()
                    .map(kb -> ", " + (kb / 1024) + " MB RSS")
                    .orElse("");
            text.append(String.format(
                    "  %-20s %-24s Swagger UI %s/q/swagger-ui   (ready in %s%s, pid %d)%n",
                    service.name(),
                    service.url(),
                    service.url(),
                    StackTimings.seconds(service.readyAfter()
                            .orElse(stack.timings().services().get(service.service()))),
                    memory,
                    service.pid()));
        }
        text.append(String.format("  %-20s %s%n", "Kafka", stack.bootstrapServers()));
        text.append(String.format(
                "  %-20s %s (%s, user %s; databases %s)%n",
                "PostgreSQL",
                stack.postgresAddress(),
                stack.embeddedPostgres() ? "embedded" : "external",
                stack.postgresUser(),
                java.util.stream.Stream.concat(
                                java.util.Arrays.stream(BulwarkService.values())
                                        .filter(BulwarkService::hasDatabase)
                                        .map(BulwarkService::database),
                                stack.keycloak().map(k -> StackLauncher.KEYCLOAK_DATABASE).stream())
                        .collect(Collectors.joining(", "))));
        stack.keycloak().ifPresent(keycloak -> text.append(keycloakSummary(keycloak)));
        text.append(String.format("  %-20s %s (logs in %s)%n", "Data folder", config.dataDir(), config.logsDir()));
        String dataDirOption = dataDirOption(config, root);
        text.append("\nAdmin token for tenant ")
                .append(DEMO_TENANT)
                .append(" (valid ")
                .append(TokenRequest.DEFAULT_TTL.toHours())
                .append(" h):\n")
                .append(stack.adminToken(DEMO_TENANT))
                .append("\n\nMore tokens:  ./bulwark token --tenant demo --role admin|user|device|service")
                .append(" [--subject S] [--device D]")
                .append(dataDirOption)
                .append("\nEvents:       ./bulwark events bulwark.devices.v1 --from-beginning")
                .append(dataDirOption)
                .append('\n');
        return text.toString();
    }

    /** Where the stack's Keycloak answers, what the services were told, and who can sign in. */
    static String keycloakSummary(KeycloakServer keycloak) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                "  %-20s %s   admin console %s/admin/ (master-realm admin client in %s)%n",
                "Keycloak",
                keycloak.baseUrl(),
                keycloak.baseUrl(),
                keycloak.dataDirectory().resolve("admin-client.properties")));
        text.append(String.format(
                "  %-20s %s (the services get it as %s)%n",
                "  issuer", keycloak.issuer(), StackLauncher.OIDC_ISSUER_ENV));
        text.append(String.format(
                "  %-20s client %s (public; password and device-code grants), tenant_id %s%n",
                "  realm " + DemoRealm.NAME, DemoRealm.CLI_CLIENT, DemoRealm.TENANT));
        for (DemoRealm.DemoUser user : DemoRealm.USERS) {
            text.append(String.format(
                    "  %-20s password %-22s groups %s, roles %s%n",
                    "  " + user.username(),
                    user.password(),
                    String.join(",", new java.util.TreeSet<>(user.groups())),
                    String.join(",", new java.util.TreeSet<>(user.roles()))));
        }
        text.append(String.format(
                "  %-20s curl -s %s -d grant_type=password -d client_id=%s -d username=%s -d password=%s%n",
                "  a token",
                keycloak.tokenEndpoint(),
                DemoRealm.CLI_CLIENT,
                DemoRealm.USERS.get(1).username(),
                DemoRealm.USERS.get(1).password()));
        return text.toString();
    }

    /** " --data-dir DIR" for the commands printed, or nothing when the stack uses the default folder. */
    static String dataDirOption(StackConfig config, Path root) {
        return config.dataDir().equals(root.resolve(CommandLine.DEFAULT_DATA_DIR))
                ? ""
                : " --data-dir " + config.dataDir();
    }

    /**
     * The repository root: the {@code bulwark.root} property the script sets, else the folder three levels above this
     * jar ({@code <root>/deploy/target/bulwark-local-stack.jar}), else the working directory.
     */
    static Path repositoryRoot() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Optional<Path> fromJar = jarLocation()
                .filter(jar -> jar.toString().endsWith(".jar"))
                .map(jar -> jar.getParent().getParent().getParent())
                .filter(candidate -> Files.isRegularFile(candidate.resolve("pom.xml")));
        return fromJar.orElse(Path.of("").toAbsolutePath());
    }

    private static Optional<Path> jarLocation() {
        try {
            return Optional.of(Path.of(LocalStack.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
