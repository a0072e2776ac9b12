package dev.bulwark.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.idp.DemoRealm.DemoUser;
import dev.bulwark.infra.PostgresServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One real Keycloak for the whole class (its start is the cost), on a real PostgreSQL: {@code BULWARK_TEST_JDBC_URL}
 * with {@code BULWARK_TEST_DB_USER} when set, else embedded PostgreSQL binaries. Nothing here skips: without Keycloak
 * or PostgreSQL the class fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static PostgresServer postgres;
    private static KeycloakServer keycloak;
    private static String database;
    private static Path dataDir;

    @BeforeAll
    static void startKeycloak() throws Exception {
        dataDir = Files.createTempDirectory("keycloak-it");
        String url = System.getenv("BULWARK_TEST_JDBC_URL");
        postgres = url == null || url.isBlank()
                ? PostgresServer.embedded(dataDir.resolve("postgres"), 0)
                : PostgresServer.external(
                        url,
                        System.getenv().getOrDefault("BULWARK_TEST_DB_USER", "postgres"),
                        System.getenv().getOrDefault("BULWARK_TEST_DB_PASSWORD", ""));
        // A database of this run's own: the realm is imported into an empty one, never into a previous run's.
        database = "keycloak_it_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path cache = Path.of(System.getProperty("bulwark.keycloak.cache", "target/keycloak"));
        keycloak = KeycloakServer.start(KeycloakServer.Settings.of(dataDir.resolve("keycloak"), postgres)
                .withDistributionCache(cache)
                .withDatabase(database));
        String rss = keycloak.javaPid()
                .map(pid -> {
                    try {
                        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                                .filter(line -> line.startsWith("VmRSS:"))
                                .findFirst()
                                .orElse("VmRSS: ?");
                    } catch (java.io.IOException e) {
                        return "VmRSS: ?";
                    }
                })
                .orElse("VmRSS: ?");
        System.out.println(keycloak + " ready in " + keycloak.startedIn().toMillis() + " ms; " + rss);
    }

    @AfterAll
    static void stopKeycloak() throws Exception {
        if (keycloak != null) {
            long javaPid = keycloak.javaPid().orElseThrow();
            keycloak.close();
            assertThat(keycloak.isAlive()).isFalse();
            assertThat(ProcessHandle.of(javaPid).filter(ProcessHandle::isAlive)).isEmpty();
        }
        if (postgres != null) {
            try (Connection c = DriverManager.getConnection(
                            postgres.jdbcUrl("postgres"), postgres.username(), postgres.password());
                    Statement drop = c.createStatement()) {
                drop.execute("drop database if exists " + database + " with (force)");
            }
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void everyDemoUserSignsInWithThePasswordGrantAndTheTokenCarriesIssuerTenantGroupsAndRoles() throws Exception {
        for (DemoUser user : DemoRealm.USERS) {
            HttpResponse<String> answer = passwordGrant(user.username(), user.password());
            assertThat(answer.statusCode())
                    .as(user.username() + ": " + answer.body())
                    .isEqualTo(200);
            JsonNode claims =
                    claims(JSON.readTree(answer.body()).path("access_token").asText());

            assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer());
            assertThat(claims.path("iss").asText()).isEqualTo(keycloak.baseUrl() + "/realms/bulwark-demo");
            assertThat(claims.path("tenant_id").asText()).isEqualTo(DemoRealm.TENANT);
            assertThat(claims.path("preferred_username").asText()).isEqualTo(user.username());
            assertThat(claims.path("azp").asText()).isEqualTo(DemoRealm.CLI_CLIENT);
            assertThat(strings(claims.path("aud"))).contains(DemoRealm.AUDIENCE);
            assertThat(strings(claims.path("groups")))
                    .as(user.username() + "'s groups")
                    .isEqualTo(user.groups());
            Set<String> roles = strings(claims.path("realm_access").path("roles"));
            assertThat(roles).as(user.username() + "'s roles").containsAll(user.roles());
            assertThat(roles.contains(DemoRealm.ADMIN_ROLE))
                    .isEqualTo(user.roles().contains(DemoRealm.ADMIN_ROLE));
        }
    }

    @Test
    @Order(2)
    void aWrongPasswordIsRefused() throws Exception {
        HttpResponse<String> answer = passwordGrant("alice", "not-alices-password");

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(answer.body()).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(answer.body()).doesNotContain("access_token");
    }

    @Test
    @Order(3)
    void discoveryNamesAJwksThatHoldsTheKeyTheTokenWasSignedWith() throws Exception {
        String token = accessToken("bob", "bob-demo-password");

        JsonNode discovery = getJson(keycloak.issuer() + "/.well-known/openid-configuration");
        assertThat(discovery.path("issuer").asText()).isEqualTo(keycloak.issuer());
        assertThat(discovery.path("token_endpoint").asText()).isEqualTo(keycloak.tokenEndpoint());
        assertThat(strings(discovery.path("grant_types_supported")))
                .contains("password", "urn:ietf:params:oauth:grant-type:device_code");
        String jwksUri = discovery.path("jwks_uri").asText();
        assertThat(jwksUri).startsWith(keycloak.issuer());

        Map<String, PublicKey> keys = rsaKeys(getJson(jwksUri));
        String kid = header(token).path("kid").asText();
        assertThat(keys).containsKey(kid);
        assertThat(signatureHolds(token, keys.get(kid))).isTrue();
        assertThat(signatureHolds(tampered(token), keys.get(kid))).isFalse();
    }

    @Test
    @Order(4)
    void theCliMayStartTheDeviceCodeGrant() throws Exception {
        HttpResponse<String> answer = postForm(
                keycloak.issuer() + "/protocol/openid-connect/auth/device", Map.of("client_id", DemoRealm.CLI_CLIENT));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode grant = JSON.readTree(answer.body());
        assertThat(grant.path("device_code").asText()).isNotBlank();
        assertThat(grant.path("user_code").asText()).isNotBlank();
        assertThat(grant.path("verification_uri").asText()).startsWith(keycloak.issuer());
    }

    @Test
    @Order(5)
    void theSignOutBridgeHasAServiceAccountThatMayManageUsers() throws Exception {
        HttpResponse<String> answer = postForm(
                keycloak.tokenEndpoint(),
                Map.of(
                        "grant_type", "client_credentials",
                        "client_id", DemoRealm.SIGNOUT_BRIDGE_CLIENT,
                        "client_secret", DemoRealm.SIGNOUT_BRIDGE_SECRET));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String token = JSON.readTree(answer.body()).path("access_token").asText();

        assertThat(strings(claims(token)
                        .path("resource_access")
                        .path("realm-management")
                        .path("roles")))
                .contains("manage-users");
        // And the admin REST API agrees: the bridge may look people up.
        HttpResponse<String> users = HTTP.send(
                HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms/bulwark-demo/users?username=bob"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
        assertThat(JSON.readTree(users.body()).path(0).path("username").asText())
                .isEqualTo("bob");
    }

    @Test
    @Order(6)
    void aNewKeyOfHigherPriorityChangesTheKidOfNewTokensAndTheOldKeyStaysPublished() throws Exception {
        String before =
                header(accessToken("alice", "alice-demo-password")).path("kid").asText();
        String admin = adminToken();
        String realmId = getJson(keycloak.baseUrl() + "/admin/realms/bulwark-demo", admin)
                .path("id")
                .asText();

        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("name", "rsa-rotated-" + System.nanoTime());
        provider.put("providerId", "rsa-generated");
        provider.put("providerType", "org.keycloak.keys.KeyProvider");
        provider.put("parentId", realmId);
        provider.put(
                "config",
                Map.of(
                        "priority", List.of("1000"),
                        "enabled", List.of("true"),
                        "active", List.of("true"),
                        "algorithm", List.of("RS256"),
                        "keySize", List.of("2048")));
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/admin/realms/bulwark-demo/components"))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(provider)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        String after = accessToken("alice", "alice-demo-password");
        String kidAfter = header(after).path("kid").asText();
        assertThat(kidAfter).isNotEqualTo(before);
        Map<String, PublicKey> keys = rsaKeys(getJson(keycloak.issuer() + "/protocol/openid-connect/certs"));
        assertThat(keys).containsKeys(before, kidAfter);
        assertThat(signatureHolds(after, keys.get(kidAfter))).isTrue();
    }

    @Test
    @Order(7)
    void aStartThatIsNotReadyInTimeFailsWithTheEndOfKeycloaksLogAndLeavesNoProcessBehind() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String slowDatabase = database + "_slow";
        KeycloakServer.Settings settings = KeycloakServer.Settings.of(dataDir.resolve("slow"), postgres)
                .withDistributionCache(Path.of(System.getProperty("bulwark.keycloak.cache", "target/keycloak")))
                .withDatabase(slowDatabase)
                .withPort(port)
                .withStartTimeout(Duration.ofSeconds(4));
        try {
            assertThatThrownBy(() -> KeycloakServer.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Keycloak was not ready within PT4S")
                    .hasMessageContaining(
                            dataDir.resolve("slow").resolve("keycloak.log").toString());
            assertThat(ProcessHandle.current()
                            .descendants()
                            .filter(ProcessHandle::isAlive)
                            .map(p -> p.info().commandLine().orElse(""))
                            .filter(line -> line.contains("--http-port=" + port)))
                    .isEmpty();
        } finally {
            try (Connection c = DriverManager.getConnection(
                            postgres.jdbcUrl("postgres"), postgres.username(), postgres.password());
                    Statement drop = c.createStatement()) {
                drop.execute("drop database if exists " + slowDatabase + " with (force)");
            }
        }
    }

    private static HttpResponse<String> passwordGrant(String username, String password) throws Exception {
        return postForm(
                keycloak.tokenEndpoint(),
                Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        DemoRealm.CLI_CLIENT,
                        "username",
                        username,
                        "password",
                        password,
                        "scope",
                        "openid"));
    }

    private static String accessToken(String username, String password) throws Exception {
        HttpResponse<String> answer = passwordGrant(username, password);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    private static String adminToken() throws Exception {
        HttpResponse<String> answer = postForm(
                keycloak.baseUrl() + "/realms/master/protocol/openid-connect/token",
                Map.of(
                        "grant_type", "client_credentials",
                        "client_id", keycloak.adminClient().clientId(),
                        "client_secret", keycloak.adminClient().secret()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    private static HttpResponse<String> postForm(String url, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> answer =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static JsonNode getJson(String url, String bearer) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + bearer)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static JsonNode header(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> values = new HashSet<>();
        if (node.isTextual()) {
            values.add(node.asText());
        }
        node.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** The RS256 signing keys of a JWKS by kid. */
    private static Map<String, PublicKey> rsaKeys(JsonNode jwks) throws Exception {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (JsonNode key : jwks.path("keys")) {
            if (!"RSA".equals(key.path("kty").asText())
                    || !"sig".equals(key.path("use").asText("sig"))
                    || !"RS256".equals(key.path("alg").asText("RS256"))) {
                continue;
            }
            BigInteger modulus = new BigInteger(
                    1, Base64.getUrlDecoder().decode(key.path("n").asText()));
            BigInteger exponent = new BigInteger(
                    1, Base64.getUrlDecoder().decode(key.path("e").asText()));
            keys.put(
                    key.path("kid").asText(),
                    KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, exponent)));
        }
        return keys;
    }

    private static boolean signatureHolds(String jwt, PublicKey key) throws Exception {
        int lastDot = jwt.lastIndexOf('.');
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1)));
    }

    /** The token with its claims changed (a different tenant) and its signature kept. */
    private static String tampered(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"tenant_id\":\"demo\"", "\"tenant_id\":\"other\"");
        return parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
    }
}
