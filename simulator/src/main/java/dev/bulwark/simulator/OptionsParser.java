package dev.bulwark.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the command line into {@link SimulatorOptions}; every mistake is an {@link IllegalArgumentException} naming
 * the option, so the program can print it with the usage instead of a stack trace.
 */
public final class OptionsParser {

    static final String USAGE =
            """
            Usage: simulate [options]
              --data-dir DIR            a local stack's data folder (keys from DIR/keys, addresses from DIR/stack.properties)
              --keys-dir DIR            the token key pair folder (default .local-stack/keys)
              --registry URL            device-registry (default http://127.0.0.1:8081)
              --assignment URL          assignment-service (default http://127.0.0.1:8082; the demo seed only)
              --policy URL              policy-service (default http://127.0.0.1:8083)
              --compliance URL          compliance-service (default http://127.0.0.1:8084)
              --kafka HOST:PORT         Kafka bootstrap (default 127.0.0.1:19092)
              --issuer ISS              token issuer (default https://bulwark.local)
              --tenants N               tenants to simulate (default 1)
              --run-id ID               tenant ids are sim-<ID>-<n> (default: from the clock)
              --tenant ID               one fixed tenant id instead (with --tenants 1), e.g. demo
              --devices N               managed (enrolled) devices (default 100)
              --apps M                  unmanaged protected-app installations (default 100)
              --users U                 users per tenant (default (devices+apps)/tenants)
              --multi-account-share F   share of app installations with a second account (default 0.2)
              --platform-mix MIX        e.g. android=60,ios=40 (default android=55,ios=35,windows=5,macos=5)
              --non-compliant-share F   share of subjects that report a non-compliant state (default 0.1)
              --remediation-success F   probability a remediation prompt is obeyed successfully (default 0.5)
              --install-success F       probability an install/update/uninstall command succeeds (default 0.95)
              --profile-success F       probability a configuration profile is applied, else FAILED (default 0.9)
              --wipe-success F          probability a selective wipe asked for at sign-out succeeds (default 0.95)
              --re-sign-in-delay D      a signed-out app account signs in again after this (default 5s)
              --rate R                  state reports per second, whole fleet (default 50)
              --duration D              reporting phase, ISO-8601 or 90s/5m (default 60s)
              --drain D                 after it, longest wait for expected sign-outs (default 60s)
              --seed S                  fleet seed (default 42)
              --concurrency C           HTTP worker threads (default 8)
              --no-policy               do not create the tenant's app protection policy
              --remediation-deadline D  remediationDeadline of that policy (default 30s)
              --report FILE.html        also write the summary as an HTML report
              --no-progress             no live progress line on stderr
            """;

    private static final Set<String> FLAGS = Set.of("--no-policy", "--no-progress", "--help", "-h");

    private OptionsParser() {}

    /** Parses {@code args}; {@code env} supplies nothing yet but keeps the door open for BULWARK_* overrides. */
    public static SimulatorOptions parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!name.startsWith("--") && !name.equals("-h")) {
                throw new IllegalArgumentException("unexpected argument: " + name);
            }
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (FLAGS.contains(name)) {
                value = "true";
            } else {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(name + ": needs a value");
                }
                value = args.get(++i);
            }
            if (!USAGE.contains(name + " ") && !FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown option: " + name);
            }
            values.put(name, value);
        }
        if (values.containsKey("--help") || values.containsKey("-h")) {
            throw new HelpRequested();
        }
        Optional<Path> dataDir = Optional.ofNullable(values.get("--data-dir")).map(Path::of);
        StackAddresses stack = dataDir.map(StackAddresses::read).orElse(StackAddresses.DEFAULTS);
        Path keys = Path.of(values.getOrDefault(
                "--keys-dir", dataDir.map(d -> d.resolve("keys").toString()).orElse(".local-stack/keys")));
        int tenants = positiveInt(values, "--tenants", 1);
        int devices = nonNegativeInt(values, "--devices", 100);
        int apps = nonNegativeInt(values, "--apps", 100);
        if (devices + apps == 0) {
            throw new IllegalArgumentException("--devices/--apps: the fleet is empty");
        }
        return new SimulatorOptions(
                uri(values, "--registry", stack.registry()),
                uri(values, "--policy", stack.policy()),
                uri(values, "--compliance", stack.compliance()),
                uri(values, "--assignment", stack.assignment()),
                values.getOrDefault("--kafka", stack.kafka()),
                keys,
                values.getOrDefault("--issuer", "https://bulwark.local"),
                tenants,
                fixedTenant(values.get("--tenant"), tenants),
                runId(values.getOrDefault(
                        "--run-id", Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36))),
                devices,
                apps,
                nonNegativeInt(values, "--users", 0),
                share(values, "--multi-account-share", 0.2),
                platformMix(values.getOrDefault("--platform-mix", "android=55,ios=35,windows=5,macos=5")),
                share(values, "--non-compliant-share", 0.1),
                share(values, "--remediation-success", 0.5),
                share(values, "--install-success", 0.95),
                share(values, "--profile-success", 0.9),
                share(values, "--wipe-success", 0.95),
                duration(values, "--re-sign-in-delay", "5s"),
                positiveDouble(values, "--rate", 50),
                duration(values, "--duration", "60s"),
                duration(values, "--drain", "60s"),
                longValue(values, "--seed", 42),
                positiveInt(values, "--concurrency", 8),
                !values.containsKey("--no-policy"),
                duration(values, "--remediation-deadline", "30s"),
                Optional.ofNullable(values.get("--report")).map(Path::of),
                !values.containsKey("--no-progress"));
    }

    /** Thrown for --help: not an error, the caller prints the usage and exits 0. */
    public static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }

    /** "android=60,ios=40" → weights; every platform named once, weights ≥ 0, at least one positive. */
    static Map<FleetPlatform, Integer> platformMix(String text) {
        Map<FleetPlatform, Integer> mix = new EnumMap<>(FleetPlatform.class);
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("--platform-mix: expected platform=weight, got '" + part + "'");
            }
            FleetPlatform platform;
            try {
                platform = FleetPlatform.valueOf(kv[0].trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--platform-mix: unknown platform '" + kv[0].trim() + "'");
            }
            int weight;
            try {
                weight = Integer.parseInt(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--platform-mix: weight of " + kv[0].trim() + " is not a number");
            }
            if (weight < 0 || mix.put(platform, weight) != null) {
                throw new IllegalArgumentException("--platform-mix: " + kv[0].trim() + " negative or named twice");
            }
        }
        if (mix.values().stream().mapToInt(Integer::intValue).sum() <= 0) {
            throw new IllegalArgumentException("--platform-mix: all weights are 0");
        }
        return Map.copyOf(mix);
    }

    /** 90s, 5m, 2h, 500ms or ISO-8601 (PT1M30S); must be positive. */
    public static Duration parseDuration(String name, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(t));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": not a duration: '" + text + "' (e.g. 90s, 5m, PT1M)");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive");
        }
        return d;
    }

    private static Optional<String> fixedTenant(String text, int tenants) {
        if (text == null) {
            return Optional.empty();
        }
        if (tenants != 1) {
            throw new IllegalArgumentException("--tenant: only with --tenants 1");
        }
        if (!text.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--tenant: letters, digits, '.', '_' and '-' only, at most 64");
        }
        return Optional.of(text);
    }

    private static String runId(String text) {
        if (!text.matches("[A-Za-z0-9-]{1,24}")) {
            throw new IllegalArgumentException("--run-id: letters, digits and '-' only, at most 24");
        }
        return text;
    }

    private static URI uri(Map<String, String> values, String name, String fallback) {
        String text = values.getOrDefault(name, fallback);
        try {
            URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException("not http");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": not an http(s) URL: '" + text + "'");
        }
    }

    private static Duration duration(Map<String, String> values, String name, String fallback) {
        return parseDuration(name, values.getOrDefault(name, fallback));
    }

    private static double share(Map<String, String> values, String name, double fallback) {
        double v = doubleValue(values, name, fallback);
        if (v < 0 || v > 1) {
            throw new IllegalArgumentException(name + ": must be between 0 and 1");
        }
        return v;
    }

    private static double positiveDouble(Map<String, String> values, String name, double fallback) {
        double v = doubleValue(values, name, fallback);
        if (!(v > 0)) {
            throw new IllegalArgumentException(name + ": must be positive");
        }
        return v;
    }

    private static double doubleValue(Map<String, String> values, String name, double fallback) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(text);
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: '" + text + "'");
        }
    }

    private static int positiveInt(Map<String, String> values, String name, int fallback) {
        int v = nonNegativeInt(values, name, fallback);
        if (v == 0) {
            throw new IllegalArgumentException(name + ": must be positive");
        }
        return v;
    }

    private static int nonNegativeInt(Map<String, String> values, String name, int fallback) {
        long v = longValue(values, name, fallback);
        if (v < 0 || v > 10_000_000) {
            throw new IllegalArgumentException(name + ": must be between 0 and 10000000");
        }
        return (int) v;
    }

    private static long longValue(Map<String, String> values, String name, long fallback) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a whole number: '" + text + "'");
        }
    }
}
