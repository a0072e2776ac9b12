package dev.bulwark.deploy;

import java.util.EnumMap;
import java.util.Map;

/**
 * The ports a stack listens on. The defaults sit away from the standard Kafka (9092) and PostgreSQL (5432) ports so a
 * local stack does not clash with servers the machine already runs; a port of 0 means "pick a free one at start",
 * which is what tests use so that they never clash with a developer's running stack.
 */
public record StackPorts(int kafka, int postgres, Map<BulwarkService, Integer> services, int keycloak) {

    public static final int DEFAULT_KAFKA = 19092;
    public static final int DEFAULT_POSTGRES = 15432;

    /** Keycloak's HTTP port when the stack runs one ({@code --idp keycloak}); its management port is picked free. */
    public static final int DEFAULT_KEYCLOAK = 18080;

    public StackPorts {
        checkPort("kafka", kafka);
        checkPort("postgres", postgres);
        checkPort("keycloak", keycloak);
        EnumMap<BulwarkService, Integer> copy = new EnumMap<>(BulwarkService.class);
        for (BulwarkService service : BulwarkService.values()) {
            int port = services.getOrDefault(service, service.defaultPort());
            checkPort(service.moduleName(), port);
            copy.put(service, port);
        }
        services = Map.copyOf(copy);
    }

    /** Keycloak's port picked free at start. */
    public StackPorts(int kafka, int postgres, Map<BulwarkService, Integer> services) {
        this(kafka, postgres, services, 0);
    }

    /** Kafka 19092, PostgreSQL 15432, the services 8081 to 8084, Keycloak 18080. */
    public static StackPorts defaults() {
        return new StackPorts(DEFAULT_KAFKA, DEFAULT_POSTGRES, Map.of(), DEFAULT_KEYCLOAK);
    }

    /** Every port picked free at start. */
    public static StackPorts ephemeral() {
        EnumMap<BulwarkService, Integer> zeros = new EnumMap<>(BulwarkService.class);
        for (BulwarkService service : BulwarkService.values()) {
            zeros.put(service, 0);
        }
        return new StackPorts(0, 0, zeros, 0);
    }

    /** Every fixed port moved by {@code offset}, to run a second stack beside the first; free-pick ports stay 0. */
    public StackPorts shiftedBy(int offset) {
        EnumMap<BulwarkService, Integer> moved = new EnumMap<>(BulwarkService.class);
        services.forEach((service, port) -> moved.put(service, shift(service.moduleName(), port, offset)));
        return new StackPorts(
                shift("kafka", kafka, offset),
                shift("postgres", postgres, offset),
                moved,
                shift("keycloak", keycloak, offset));
    }

    public int service(BulwarkService service) {
        return services.get(service);
    }

    private static int shift(String what, int port, int offset) {
        if (port == 0) {
            return 0;
        }
        int moved = port + offset;
        if (moved < 1 || moved > 65535) {
            throw new IllegalArgumentException(what + " port " + port + " shifted by " + offset + " leaves 1..65535");
        }
        return moved;
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " port must be 0 (pick a free one) or 1..65535, not " + port);
        }
    }
}
