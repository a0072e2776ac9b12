package dev.bulwark.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * People and clients of one realm of a running {@link KeycloakServer}, managed through its admin REST API as the
 * master realm's admin client, and people signing in with the password grant: what tests and the demo need to make
 * users who sign in, and to see whether a refresh token still works.
 */
public final class KeycloakAccounts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;
    private final String realm;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A person's tokens from one sign-in. */
    public record Tokens(String accessToken, String refreshToken) {}

    public KeycloakAccounts(KeycloakServer server, String realm) {
        this.server = server;
        this.realm = realm;
    }

    /** The demo realm's accounts. */
    public static KeycloakAccounts demo(KeycloakServer server) {
        return new KeycloakAccounts(server, DemoRealm.NAME);
    }

    /** Creates an enabled person with a password (profile complete, so the password grant works); returns their id. */
    public String createUser(String username, String password) {
        ObjectNode user = JSON.createObjectNode()
                .put("username", username)
                .put("enabled", true)
                .put("email", username + "@accounts.bulwark.test")
                .put("emailVerified", true)
                .put("firstName", username)
                .put("lastName", "Test");
        user.putArray("credentials")
                .addObject()
                .put("type", "password")
                .put("value", password)
                .put("temporary", false);
        HttpResponse<String> created = admin("POST", "users", user.toString());
        expect(created, 201, "create user " + username);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** The Keycloak id of the person with this username. */
    public String userId(String username) {
        HttpResponse<String> response =
                admin("GET", "users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8), null);
        expect(response, 200, "find user " + username);
        for (JsonNode user : parse(response)) {
            if (username.equalsIgnoreCase(user.path("username").asText())) {
                return user.path("id").asText();
            }
        }
        throw new IllegalStateException("no user " + username);
    }

    /** Creates a public client that allows the password grant (an app people sign in to); returns its id (UUID). */
    public String createPublicClient(String clientId) {
        ObjectNode client = JSON.createObjectNode()
                .put("clientId", clientId)
                .put("enabled", true)
                .put("publicClient", true)
                .put("protocol", "openid-connect")
                .put("standardFlowEnabled", false)
                .put("directAccessGrantsEnabled", true);
        HttpResponse<String> created = admin("POST", "clients", client.toString());
        expect(created, 201, "create client " + clientId);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Signs a person in to a public client with the password grant (optionally asking for an offline token). */
    public Tokens signIn(String clientId, String username, String password, boolean offline) {
        HttpResponse<String> response = form(Map.of(
                "grant_type", "password",
                "client_id", clientId,
                "username", username,
                "password", password,
                "scope", offline ? "openid offline_access" : "openid"));
        expect(response, 200, "sign " + username + " in to " + clientId);
        JsonNode body = parse(response);
        return new Tokens(
                body.path("access_token").asText(), body.path("refresh_token").asText());
    }

    /** Whether Keycloak still accepts the refresh token (a new access token), or refuses it (400 invalid_grant). */
    public boolean refreshes(String clientId, String refreshToken) {
        HttpResponse<String> response = form(Map.of(
                "grant_type", "refresh_token",
                "client_id", clientId,
                "refresh_token", refreshToken));
        if (response.statusCode() == 200) {
            return true;
        }
        if (response.statusCode() == 400) {
            return false;
        }
        throw new IllegalStateException(
                "Keycloak answered " + response.statusCode() + " to a refresh: " + response.body());
    }

    /** The person's "not before" (epoch seconds; 0 when never set): Keycloak refuses their tokens issued earlier. */
    public long notBefore(String userId) {
        HttpResponse<String> response = admin("GET", "users/" + userId, null);
        expect(response, 200, "read user");
        return parse(response).path("notBefore").asLong(0);
    }

    /**
     * Adds a new RSA signing key of the highest priority to the realm, as an administrator rotating keys does: the
     * realm signs its next tokens with it, and publishes it beside the old ones in its JWKS.
     */
    public void addSigningKey() {
        HttpResponse<String> realmResponse =
                send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/admin/realms/" + realm))
                        .header("Authorization", "Bearer " + masterToken())
                        .GET()
                        .build());
        expect(realmResponse, 200, "read realm " + realm);
        ObjectNode component = JSON.createObjectNode()
                .put("name", "rsa-rotated-" + System.nanoTime())
                .put("providerId", "rsa-generated")
                .put("providerType", "org.keycloak.keys.KeyProvider")
                .put("parentId", parse(realmResponse).path("id").asText());
        ObjectNode config = component.putObject("config");
        config.putArray("priority").add("1000");
        config.putArray("enabled").add("true");
        config.putArray("active").add("true");
        config.putArray("algorithm").add("RS256");
        config.putArray("keySize").add("2048");
        expect(admin("POST", "components", component.toString()), 201, "add a signing key");
    }

    /** The person's online sessions right now. */
    public int sessionCount(String userId) {
        HttpResponse<String> response = admin("GET", "users/" + userId + "/sessions", null);
        expect(response, 200, "list sessions");
        return parse(response).size();
    }

    private HttpResponse<String> form(Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(server.issuer(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private HttpResponse<String> admin(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/admin/realms/" + realm + "/" + path))
                .header("Authorization", "Bearer " + masterToken())
                .header("Content-Type", "application/json");
        return send(request.method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private String masterToken() {
        KeycloakServer.AdminClient admin = server.adminClient();
        String body = "grant_type=client_credentials&client_id="
                + URLEncoder.encode(admin.clientId(), StandardCharsets.UTF_8) + "&client_secret="
                + URLEncoder.encode(admin.secret(), StandardCharsets.UTF_8);
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(server.issuer("master") + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build());
        expect(response, 200, "get the master admin token");
        return parse(response).path("access_token").asText();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(
                    "Keycloak answered " + response.statusCode() + " to '" + what + "': " + response.body());
        }
    }

    private static JsonNode parse(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
