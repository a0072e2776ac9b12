package dev.bulwark.testsupport.fuzz;

import dev.bulwark.testsupport.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * What the fuzzer runs against and with: the running service, its database and broker (to prove nothing changed), the
 * tenant whose tokens it sends, and the few values that make requests realistic (ids the test seeded, a body that is
 * valid for the business rules too). Everything else comes from the OpenAPI document.
 */
public final class FuzzTarget {

    final URI baseUri;
    final String tenantId;
    final DataSource dataSource;
    final String kafkaBootstrap;
    final long seed;
    final Map<String, String> values;
    final Map<String, String> bodies;
    final Map<String, String> roles;
    final Set<String> ignoredTables;
    final Duration quiet;
    final Optional<String> userId;
    final Optional<String> deviceId;
    private final Function<String, String> tokens;

    private FuzzTarget(Builder builder) {
        this.baseUri = builder.baseUri;
        this.tenantId = builder.tenantId;
        this.dataSource = builder.dataSource;
        this.kafkaBootstrap = builder.kafkaBootstrap;
        this.seed = builder.seed;
        this.values = Map.copyOf(builder.values);
        this.bodies = Map.copyOf(builder.bodies);
        this.roles = Map.copyOf(builder.roles);
        this.ignoredTables = Set.copyOf(builder.ignoredTables);
        this.quiet = builder.quiet;
        this.userId = Optional.ofNullable(builder.values.get("userId"));
        this.deviceId = Optional.ofNullable(builder.values.get("deviceId"));
        this.tokens = builder.tokens != null ? builder.tokens : this::testToken;
    }

    /**
     * A target: the service at {@code baseUri} (e.g. {@code http://localhost:8081}), its database, the broker, and the
     * tenant all tokens are minted for (use a fresh one: state and topics are compared for this tenant).
     */
    public static Builder builder(URI baseUri, DataSource dataSource, String kafkaBootstrap, String tenantId) {
        return new Builder(baseUri, dataSource, kafkaBootstrap, tenantId);
    }

    /** The bearer token for a role the operation allows. */
    String token(String role) {
        return tokens.apply(role);
    }

    /** A test token of the tenant; user and device tokens act for the seeded user and device. */
    private String testToken(String role) {
        return switch (role) {
            case "admin" -> TestTokens.admin(tenantId);
            case "user" -> TestTokens.user(tenantId, userId.orElse("fuzz-user"));
            case "device" -> TestTokens.device(tenantId, deviceId.orElse("fuzz-device"));
            default -> TestTokens.service(tenantId, "fuzzer");
        };
    }

    /** Builds a {@link FuzzTarget}. */
    public static final class Builder {
        private final URI baseUri;
        private final DataSource dataSource;
        private final String kafkaBootstrap;
        private final String tenantId;
        private long seed = Long.getLong("bulwark.fuzz.seed", 20261204L);
        private final Map<String, String> values = new HashMap<>();
        private final Map<String, String> bodies = new HashMap<>();
        private final Map<String, String> roles = new HashMap<>();
        private final Set<String> ignoredTables = new HashSet<>(Set.of("flyway_schema_history", "processed_event"));
        private Duration quiet = Duration.ofSeconds(2);
        private Function<String, String> tokens;

        private Builder(URI baseUri, DataSource dataSource, String kafkaBootstrap, String tenantId) {
            this.baseUri = baseUri;
            this.dataSource = dataSource;
            this.kafkaBootstrap = kafkaBootstrap;
            this.tenantId = tenantId;
        }

        /** The seed of the run (default 20261204, or the system property {@code bulwark.fuzz.seed}). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * A realistic value for a path or query parameter or a body string field called {@code name} (e.g. {@code
         * userId} → an id the test seeded). {@code name} may also be {@code "METHOD /path#param"} for one operation's
         * parameter. {@code userId} and {@code deviceId} are also whom user and device tokens act for.
         */
        public Builder value(String name, String value) {
            values.put(name, value);
            return this;
        }

        /**
         * A valid body (JSON text) for an operation, {@code "POST /api/v1/apps"}, where the one built from the schema
         * would break a business rule and so hide what a mutation does. Fields the schema has and this body lacks are
         * still fuzzed.
         */
        public Builder body(String operationKey, String json) {
            bodies.put(operationKey, json);
            return this;
        }

        /** The role whose token an operation is called with, where the first allowed one is not the right one. */
        public Builder role(String operationKey, String role) {
            roles.put(operationKey, role);
            return this;
        }

        /** A table whose rows may legitimately change while the fuzzer runs (flyway history and the inbox always). */
        public Builder ignoreTable(String table) {
            ignoredTables.add(table);
            return this;
        }

        /** How long to watch the topics for a record after the last request (default 2 s). */
        public Builder quiet(Duration quiet) {
            this.quiet = quiet;
            return this;
        }

        /** How a role's token is made (default: {@link TestTokens} for the tenant, the seeded user and device). */
        public Builder tokens(Function<String, String> tokens) {
            this.tokens = tokens;
            return this;
        }

        public FuzzTarget build() {
            return new FuzzTarget(this);
        }
    }
}
