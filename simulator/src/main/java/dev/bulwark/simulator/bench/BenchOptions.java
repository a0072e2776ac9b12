package dev.bulwark.simulator.bench;

import dev.bulwark.simulator.OptionsParser;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one benchmark run does: the stack it drives, the offered rates and how long each is held, the report mix, the
 * optional join storm, the anchors, and where the results go. {@link #parse} refuses every mistake with an
 * {@link IllegalArgumentException} naming the option.
 *
 * @param rates check-ins per second offered through device-registry, one phase each, in this order
 * @param nonCompliantShare share of the reports that are a subject's first, non-compliant one (each → a sign-out)
 * @param managedShare share of the reports (compliant and not) that come from managed devices; the rest from apps
 * @param pool subjects that report compliant states (half managed, half unmanaged)
 * @param maxInFlight most check-ins waiting for their answer at once (the generator stays open-loop below it)
 * @param storm subjects of the join storm (0 = no storm)
 * @param stormDeadline the storm tenant's remediation deadline; half the storm reports a fix at half of it
 * @param out folder for the HTML report and the markdown summary (none = print only)
 */
public record BenchOptions(
        Path dataDir,
        Optional<URI> registry,
        Optional<URI> policy,
        Optional<String> kafka,
        Optional<String> jdbcUrl,
        String dbUser,
        String dbPassword,
        String issuer,
        String runId,
        List<Integer> rates,
        Duration duration,
        Duration warmup,
        Duration drain,
        double nonCompliantShare,
        double managedShare,
        int pool,
        int maxInFlight,
        int joinConcurrency,
        int storm,
        Duration stormDeadline,
        boolean anchors,
        int jdbcRows,
        Optional<Path> out,
        String name) {

    static final String USAGE =
            """
            Usage: bench [options]   (./bulwark bench starts its own stack unless --data-dir names a running one)
              --data-dir DIR          the running stack's data folder (addresses from stack.properties, keys from keys/)
              --registry URL          device-registry (default: from stack.properties)
              --policy URL            policy-service (default: from stack.properties)
              --kafka HOST:PORT       Kafka bootstrap (default: from stack.properties)
              --jdbc-url URL          PostgreSQL for the JDBC anchor (default: jdbc:postgresql://<postgres.address>/postgres)
              --db-user U / --db-password P   its credentials (default postgres / none)
              --rates R1,R2           offered check-ins per second, one phase each (default 200,1000)
              --duration D            how long each rate is offered (default 30s)
              --warmup D              an unmeasured phase at the first rate before them (default 10s; 0 = none)
              --drain D               longest wait for the sign-outs still expected after a phase (default 60s)
              --non-compliant-share F share of reports that are a subject's first, non-compliant one (default 0.1)
              --managed-share F       share of reports from managed devices, the rest from app instances (default 0.5)
              --pool N                subjects reporting compliant states (default 1000)
              --max-in-flight N       most check-ins awaiting an answer at once (default 512)
              --join-concurrency N    parallel enrollments / registrations (default 16)
              --storm N               also run a join storm of N subjects, remediation on (default 0 = none)
              --storm-deadline D      the storm's remediation deadline (default 20s); half fix at half of it
              --no-anchors            skip the raw Kafka and JDBC anchors
              --jdbc-rows N           rows the JDBC anchor inserts (default 100000)
              --out DIR               write <name>.html and <name>.md there (e.g. docs/perf)
              --name NAME             the report's file name stem (default bench-<run-id>)
              --run-id ID             tenant ids bench-<ID>, storm-<ID> (default: from the clock)
              --issuer ISS            token issuer (default https://bulwark.local)
            """;

    private static final Set<String> FLAGS = Set.of("--no-anchors", "--help", "-h");

    /** The options of {@code args}; {@code --help} gives {@link Optional#empty()}. */
    public static Optional<BenchOptions> parse(List<String> args) {
        Map<String, String> v = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            String value;
            int eq = name.indexOf('=');
            if (!name.startsWith("-")) {
                throw new IllegalArgumentException("unexpected argument: " + name);
            } else if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (FLAGS.contains(name)) {
                value = "true";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException(name + ": needs a value");
            }
            if (!USAGE.contains(name + " ") && !FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown option: " + name);
            }
            v.put(name, value);
        }
        if (v.containsKey("--help") || v.containsKey("-h")) {
            return Optional.empty();
        }
        String runId = v.getOrDefault(
                "--run-id",
                DateTimeFormatter.ofPattern("MMddHHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now()));
        if (!runId.matches("[A-Za-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("--run-id: letters, digits and '-' only, at most 40");
        }
        Duration duration = duration(v, "--duration", "30s");
        if (duration.isZero()) {
            throw new IllegalArgumentException("--duration: must be positive");
        }
        return Optional.of(new BenchOptions(
                Path.of(v.getOrDefault("--data-dir", ".local-stack")),
                Optional.ofNullable(v.get("--registry")).map(u -> uri("--registry", u)),
                Optional.ofNullable(v.get("--policy")).map(u -> uri("--policy", u)),
                Optional.ofNullable(v.get("--kafka")),
                Optional.ofNullable(v.get("--jdbc-url")),
                v.getOrDefault("--db-user", "postgres"),
                v.getOrDefault("--db-password", ""),
                v.getOrDefault("--issuer", "https://bulwark.local"),
                runId,
                rates(v.getOrDefault("--rates", "200,1000")),
                duration,
                duration(v, "--warmup", "10s"),
                duration(v, "--drain", "60s"),
                share(v, "--non-compliant-share", 0.1),
                share(v, "--managed-share", 0.5),
                positive(v, "--pool", 1000),
                positive(v, "--max-in-flight", 512),
                positive(v, "--join-concurrency", 16),
                atLeastZero(v, "--storm", 0),
                duration(v, "--storm-deadline", "20s"),
                !v.containsKey("--no-anchors"),
                positive(v, "--jdbc-rows", 100_000),
                Optional.ofNullable(v.get("--out")).map(Path::of),
                v.getOrDefault("--name", "bench-" + runId)));
    }

    /** How many subjects report their first, non-compliant state in a phase at {@code rate}. */
    public int nonCompliantReports(int rate, Duration length) {
        return (int) Math.ceil(rate * (length.toMillis() / 1000.0) * nonCompliantShare);
    }

    static List<Integer> rates(String text) {
        List<Integer> rates = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int rate = Integer.parseInt(part.trim());
                if (rate <= 0) {
                    throw new IllegalArgumentException("--rates: " + rate + " is not a positive rate");
                }
                rates.add(rate);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rates: '" + part.trim() + "' is not a number");
            }
        }
        return List.copyOf(rates);
    }

    /** A duration as the simulator reads it (30s, 5m, PT1M); a zero ("0", "0s") is allowed where it means "none". */
    private static Duration duration(Map<String, String> v, String name, String fallback) {
        String text = v.getOrDefault(name, fallback).trim();
        if (text.matches("0+[a-z]*")) {
            return Duration.ZERO;
        }
        return OptionsParser.parseDuration(name, text);
    }

    private static URI uri(String name, String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": not a URL: " + text);
        }
    }

    private static double share(Map<String, String> v, String name, double fallback) {
        double d;
        try {
            d = v.containsKey(name) ? Double.parseDouble(v.get(name)) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: " + v.get(name));
        }
        if (d < 0 || d > 1) {
            throw new IllegalArgumentException(name + ": must be between 0 and 1");
        }
        return d;
    }

    private static int positive(Map<String, String> v, String name, int fallback) {
        int n = atLeastZero(v, name, fallback);
        if (n == 0) {
            throw new IllegalArgumentException(name + ": must be positive");
        }
        return n;
    }

    private static int atLeastZero(Map<String, String> v, String name, int fallback) {
        int n;
        try {
            n = v.containsKey(name) ? Integer.parseInt(v.get(name).replace("_", "")) : fallback;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a whole number: " + v.get(name));
        }
        if (n < 0) {
            throw new IllegalArgumentException(name + ": must not be negative");
        }
        return n;
    }
}
