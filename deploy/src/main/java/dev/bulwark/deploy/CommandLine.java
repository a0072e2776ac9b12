package dev.bulwark.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns {@code ./bulwark}'s arguments into a {@link Command}. Options take {@code --name value} or {@code
 * --name=value}; anything unknown is refused with the usage text rather than ignored, so a typo never starts a stack
 * configured other than the user meant.
 */
public final class CommandLine {

    public static final String DATA_DIR_ENV = "BULWARK_DATA_DIR";
    public static final String DEFAULT_DATA_DIR = ".local-stack";

    public static final String USAGE =
            """
            Usage: ./bulwark <command> [options]

              up      [--services a,b] [--replicas a=N,b=N] [--data-dir DIR] [--port-offset N]
                      [--exit-when-ready] [--demo] [--idp dev-keys|keycloak]
                      Start Kafka, PostgreSQL and the services; print their addresses and an admin token;
                      stop everything on Ctrl-C. --exit-when-ready stops and exits 0 once all are ready.
                      --idp keycloak: also start a real Keycloak (port 18080, moved by --port-offset; its
                      database 'keycloak' on the stack's PostgreSQL) with the realm bulwark-demo and its demo
                      people, and give the services its issuer (BULWARK_OIDC_ISSUER). Default dev-keys: tokens
                      from ./bulwark token only.
                      --replicas compliance-service=2,device-registry=2: run N processes of a service (1-9),
                      sharing its database and Kafka consumer group; replica n listens on the service's
                      port + 100 x (n - 1), e.g. compliance-service 8084 and 8184.
                      --demo: once ready, seed the tenant 'demo' (users, groups, licences, apps, assignments,
                      policies) and run a small simulated fleet (20 devices, 20 app installations, slow rate)
                      in this process until Ctrl-C; with --exit-when-ready the fleet runs 40 s, then all stops.
                      Needs all four services.
                      Services: device-registry, assignment-service, policy-service, compliance-service
                      (default all). Ports: Kafka 19092, PostgreSQL 15432, services 8081-8084, each moved
                      by --port-offset. PostgreSQL is embedded unless BULWARK_DB_URL (with BULWARK_DB_USER,
                      BULWARK_DB_PASSWORD) names a server. BULWARK_SERVICE_JAVA_OPTS replaces the services'
                      JVM options (default -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1).
              token   [--tenant demo] [--role admin|user|device|service|operator] [--subject S] [--device D]
                      [--ttl PT12H] [--data-dir DIR]
                      Print a bearer token signed with the stack's key.
              events  <topic> [--from-beginning] [--bootstrap host:port] [--max-idle SECONDS] [--data-dir DIR]
                      Print a topic's decoded events as they arrive (Ctrl-C to stop). A short name such as
                      'devices' means bulwark.devices.v1.
              dlq     <service> [--list | --redrive] [--data-dir DIR]
                      List the running service's dead letters with their reasons (default), or re-drive them
                      through its own consumers, once each (POST /api/v1/admin/dead-letters/redrive).

            The data folder (Kafka log, PostgreSQL data, keys, logs) is --data-dir, else $BULWARK_DATA_DIR,
            else .local-stack under the repository root; a second start reuses it.
            """;

    private CommandLine() {}

    /** The command {@code args} ask for; {@link IllegalArgumentException} with a reason if they make no sense. */
    public static Command parse(List<String> args, Map<String, String> env, Path repositoryRoot) {
        if (args.isEmpty()) {
            return new Command.Help();
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "up" -> parseUp(rest, env, repositoryRoot);
            case "token" -> parseToken(rest, env, repositoryRoot);
            case "events" -> parseEvents(rest, env, repositoryRoot);
            case "dlq" -> parseDeadLetters(rest, env, repositoryRoot);
            case "help", "-h", "--help" -> new Command.Help();
            default -> throw new IllegalArgumentException("unknown command '" + args.get(0) + "'");
        };
    }

    /** {@code --data-dir}, else {@code $BULWARK_DATA_DIR}, else {@code .local-stack} under the repository root. */
    static Path dataDir(Optional<String> option, Map<String, String> env, Path repositoryRoot) {
        Optional<String> fromEnv = Optional.ofNullable(env.get(DATA_DIR_ENV)).filter(s -> !s.isBlank());
        return option.or(() -> fromEnv)
                .map(Path::of)
                .orElse(repositoryRoot.resolve(DEFAULT_DATA_DIR))
                .toAbsolutePath()
                .normalize();
    }

    /** A topic's full name: {@code devices} → {@code bulwark.devices.v1}; a dotted name is taken as it is. */
    static String topicName(String name) {
        return name.contains(".") ? name : "bulwark." + name + ".v1";
    }

    private static Command.Up parseUp(List<String> args, Map<String, String> env, Path root) {
        Options options = Options.read(
                args,
                Set.of("--exit-when-ready", "--demo"),
                Set.of("--services", "--replicas", "--data-dir", "--port-offset", "--idp"));
        options.noPositionals();
        Set<BulwarkService> services = options.value("--services")
                .map(BulwarkService::parseList)
                .orElseGet(() -> EnumSet.allOf(BulwarkService.class));
        int offset = options.value("--port-offset")
                .map(v -> integer("--port-offset", v))
                .orElse(0);
        boolean demo = options.flag("--demo");
        if (demo && !services.equals(EnumSet.allOf(BulwarkService.class))) {
            throw new IllegalArgumentException("--demo needs all four services; leave out --services");
        }
        Map<BulwarkService, Integer> replicas =
                options.value("--replicas").map(CommandLine::replicas).orElse(Map.of());
        for (BulwarkService service : replicas.keySet()) {
            if (!services.contains(service)) {
                throw new IllegalArgumentException(
                        "--replicas names " + service.moduleName() + ", which --services leaves out");
            }
        }
        return new Command.Up(
                dataDir(options.value("--data-dir"), env, root),
                services,
                options.flag("--exit-when-ready"),
                offset,
                demo,
                replicas,
                options.value("--idp").map(IdentityProvider::named).orElse(IdentityProvider.DEV_KEYS));
    }

    /** {@code compliance-service=2,device-registry=2} → how many processes of each; 1 to 9, each service once. */
    static Map<BulwarkService, Integer> replicas(String value) {
        Map<BulwarkService, Integer> replicas = new EnumMap<>(BulwarkService.class);
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int equals = part.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(
                        "--replicas needs service=count pairs, e.g. compliance-service=2, not '" + part.trim() + "'");
            }
            BulwarkService service = BulwarkService.named(part.substring(0, equals));
            int count = integer("--replicas", part.substring(equals + 1));
            if (count < 1 || count > StackConfig.MAX_REPLICAS) {
                throw new IllegalArgumentException("--replicas " + service.moduleName() + " must be 1.."
                        + StackConfig.MAX_REPLICAS + ", not " + count);
            }
            if (replicas.put(service, count) != null) {
                throw new IllegalArgumentException("--replicas names " + service.moduleName() + " twice");
            }
        }
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("--replicas needs service=count pairs, e.g. compliance-service=2");
        }
        return replicas;
    }

    private static Command.Token parseToken(List<String> args, Map<String, String> env, Path root) {
        Options options = Options.read(
                args, Set.of(), Set.of("--tenant", "--role", "--subject", "--device", "--ttl", "--data-dir"));
        options.noPositionals();
        Role role = options.value("--role").map(Role::named).orElse(Role.ADMIN);
        Optional<String> device = options.value("--device");
        if (device.isPresent() && role != Role.DEVICE) {
            throw new IllegalArgumentException("--device goes with --role device");
        }
        TokenRequest request =
                TokenRequest.of(options.value("--tenant").orElse("demo"), role, options.value("--subject"), device);
        Optional<Duration> ttl = options.value("--ttl").map(CommandLine::duration);
        return new Command.Token(
                dataDir(options.value("--data-dir"), env, root),
                ttl.map(request::withTtl).orElse(request));
    }

    private static Command.Events parseEvents(List<String> args, Map<String, String> env, Path root) {
        Options options =
                Options.read(args, Set.of("--from-beginning"), Set.of("--bootstrap", "--max-idle", "--data-dir"));
        if (options.positionals.size() != 1) {
            throw new IllegalArgumentException("events needs exactly one topic, e.g. bulwark.devices.v1");
        }
        Optional<Duration> maxIdle = options.value("--max-idle")
                .map(v -> integer("--max-idle", v))
                .map(seconds -> {
                    if (seconds < 1) {
                        throw new IllegalArgumentException("--max-idle must be at least 1 second");
                    }
                    return Duration.ofSeconds(seconds);
                });
        return new Command.Events(
                dataDir(options.value("--data-dir"), env, root),
                topicName(options.positionals.get(0)),
                options.flag("--from-beginning"),
                options.value("--bootstrap"),
                maxIdle);
    }

    private static Command.DeadLetters parseDeadLetters(List<String> args, Map<String, String> env, Path root) {
        Options options = Options.read(args, Set.of("--list", "--redrive"), Set.of("--data-dir"));
        if (options.positionals.size() != 1) {
            throw new IllegalArgumentException("dlq needs exactly one service, e.g. compliance-service");
        }
        if (options.flag("--list") && options.flag("--redrive")) {
            throw new IllegalArgumentException("dlq takes --list or --redrive, not both");
        }
        return new Command.DeadLetters(
                dataDir(options.value("--data-dir"), env, root),
                BulwarkService.named(options.positionals.get(0)),
                options.flag("--redrive"));
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
        }
    }

    private static Duration duration(String value) {
        try {
            Duration parsed = Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
            if (parsed.isNegative() || parsed.isZero()) {
                throw new IllegalArgumentException("--ttl must be positive");
            }
            return parsed;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--ttl needs an ISO-8601 duration such as PT12H, not '" + value + "'");
        }
    }

    /** Flags, valued options and positional arguments of one command. */
    private static final class Options {
        private final Set<String> flags = new HashSet<>();
        private final Map<String, String> values = new HashMap<>();
        private final List<String> positionals = new ArrayList<>();

        static Options read(List<String> args, Set<String> knownFlags, Set<String> knownValued) {
            Options options = new Options();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!arg.startsWith("--")) {
                    options.positionals.add(arg);
                    continue;
                }
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                if (knownFlags.contains(name)) {
                    if (equals >= 0) {
                        throw new IllegalArgumentException(name + " takes no value");
                    }
                    options.flags.add(name);
                } else if (knownValued.contains(name)) {
                    String value;
                    if (equals >= 0) {
                        value = arg.substring(equals + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    if (value.isBlank()) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    if (options.values.put(name, value) != null) {
                        throw new IllegalArgumentException(name + " is given twice");
                    }
                } else {
                    throw new IllegalArgumentException("unknown option " + name);
                }
            }
            return options;
        }

        boolean flag(String name) {
            return flags.contains(name);
        }

        Optional<String> value(String name) {
            return Optional.ofNullable(values.get(name));
        }

        void noPositionals() {
            if (!positionals.isEmpty()) {
                throw new IllegalArgumentException("unexpected argument '" + positionals.get(0) + "'");
            }
        }
    }
}
