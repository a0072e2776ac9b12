package dev.bulwark.deploy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The processes the local stack runs: the four services, each with its Maven module (where its runnable jar is built),
 * its own PostgreSQL database and its default HTTP port, the gateway in front of them (no database; started after them,
 * pointed at the services' addresses), and the sign-out bridge (no database; with Keycloak only). The one place the
 * launcher learns what a process needs.
 */
public enum BulwarkService {
    DEVICE_REGISTRY("device-registry", "device_registry", 8081),
    ASSIGNMENT_SERVICE("assignment-service", "assignment_service", 8082),
    POLICY_SERVICE("policy-service", "policy_service", 8083),
    COMPLIANCE_SERVICE("compliance-service", "compliance_service", 8084),
    /** The one address for users and apps: routes /api/v1 by path to the services above. */
    GATEWAY("gateway", null, 8080),
    /**
     * Carries SignOutRequired out at the identity provider; an outside consumer of the topic (no database, no API).
     * The local stack runs it when it runs Keycloak.
     */
    SIGNOUT_BRIDGE("signout-bridge", null, 8085);

    private final String moduleName;
    private final String database;
    private final int defaultPort;

    BulwarkService(String moduleName, String database, int defaultPort) {
        this.moduleName = moduleName;
        this.database = database;
        this.defaultPort = defaultPort;
    }

    /** The Maven module and process name, e.g. {@code device-registry}. */
    public String moduleName() {
        return moduleName;
    }

    /** The PostgreSQL database the service owns, e.g. {@code device_registry}; the gateway and the bridge have none. */
    public String database() {
        if (database == null) {
            throw new IllegalStateException(moduleName + " has no database");
        }
        return database;
    }

    /** Whether the process owns a database (the four services; not the gateway or the bridge). */
    public boolean hasDatabase() {
        return database != null;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The Quarkus fast-jar launcher of the service under the repository root. */
    public Path runJar(Path repositoryRoot) {
        return repositoryRoot
                .resolve(moduleName)
                .resolve("target")
                .resolve("quarkus-app")
                .resolve("quarkus-run.jar");
    }

    /**
     * The service a user means by {@code name}: its module name ({@code policy-service}), or that name without the
     * {@code -service} suffix ({@code policy}), case-insensitive.
     */
    public static BulwarkService named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (BulwarkService service : values()) {
            String shortName = service.moduleName.replaceFirst("-service$", "");
            if (service.moduleName.equals(wanted) || shortName.equals(wanted)) {
                return service;
            }
        }
        throw new IllegalArgumentException("unknown service '" + name + "'; known: " + knownNames());
    }

    /** The services of a comma-separated list, in the order given, without repeats; at least one. */
    public static Set<BulwarkService> parseList(String commaSeparated) {
        Set<BulwarkService> services = Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(BulwarkService::named)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (services.isEmpty()) {
            throw new IllegalArgumentException("no service named; known: " + knownNames());
        }
        return services;
    }

    /**
     * The four services, without the gateway and the bridge: what owns a database, serves the API under /api/v1 and is
     * deployed by the generated Kubernetes manifests and compose file.
     */
    public static List<BulwarkService> services() {
        return Arrays.stream(values()).filter(BulwarkService::hasDatabase).toList();
    }

    static String knownNames() {
        return Arrays.stream(values()).map(BulwarkService::moduleName).collect(Collectors.joining(", "));
    }
}
