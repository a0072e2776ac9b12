package dev.bulwark.signoutbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends a user's sessions at Keycloak through its admin REST API, as the confidential client's service account
 * (client-credentials grant; realm-management {@code manage-users}, {@code view-users} and {@code view-clients}).
 *
 * <ul>
 *   <li>The user is found by the configured attribute (username, id or email) in the tenant's realm.
 *   <li>Online sessions ({@code GET users/{id}/sessions}) that began before the event are deleted
 *       ({@code DELETE sessions/{id}}): their refresh tokens are refused from then on. When the event names apps that
 *       all have a Keycloak client configured, only sessions those clients take part in; Keycloak's admin API ends a
 *       session as a whole, so other apps of the same single sign-on session end with it (never less than asked).
 *   <li>For a sign-out of every app, unless the user's "not before" is already at or after the event, the user is
 *       logged out ({@code POST users/{id}/logout}), which moves that mark to now: every token issued before it is
 *       refused from then on, even one whose session a concurrent refresh kept alive at Keycloak.
 *   <li>Offline sessions (refresh tokens of {@code offline_access}) of the clients in question that began before the
 *       event are deleted too ({@code ?isOffline=true}): of the named apps' clients, or for a sign-out of every app, of
 *       every client the user granted an offline token to and every configured app client.
 * </ul>
 *
 * <p>Idempotent per event: only sessions begun before the event's {@code occurredAt} are ended, so a redelivered or
 * replayed event leaves a session the user began after it alone. Keycloak keeps a session's start to the second
 * (truncated), so a session begun in the very second of the decision is ended too.
 */
public final class KeycloakSessions implements SessionEnder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BridgeConfig.Keycloak config;
    private final HttpClient http;
    private final Clock clock;
    private final String base;
    private final Map<String, String> clientUuids = new ConcurrentHashMap<>();
    private final Map<String, AdminToken> tokens = new ConcurrentHashMap<>();

    private record AdminToken(String value, Instant refreshAt) {}

    public KeycloakSessions(BridgeConfig.Keycloak config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.base = config.url().replaceAll("/+$", "");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .proxy(ProxySelector.getDefault())
                .build();
    }

    @Override
    public String name() {
        return "keycloak";
    }

    @Override
    public Outcome endSessions(SignOut signOut) throws ProviderUnavailableException, RefusedSignOutException {
        Optional<String> realm = realmOf(signOut.tenantId());
        if (realm.isEmpty()) {
            return new TenantNotServed(signOut.tenantId());
        }
        Admin admin = new Admin(realm.get());
        Optional<String> user = admin.findUser(signOut.userId());
        if (user.isEmpty()) {
            return new UnknownUser("no user with " + config.userLookup().name().toLowerCase() + " '" + signOut.userId()
                    + "' in realm " + realm.get());
        }
        Optional<Set<String>> scope = clientsOf(signOut);
        long before = signOut.occurredAt().toEpochMilli();

        int online = 0;
        for (JsonNode session : admin.get("users/" + segment(user.get()) + "/sessions")) {
            if (session.path("start").asLong(Long.MAX_VALUE) < before
                    && (scope.isEmpty() || takesPart(session, scope.get()))) {
                online += admin.delete("sessions/" + segment(session.path("id").asText())) ? 1 : 0;
            }
        }

        if (scope.isEmpty()) {
            admin.refuseTokensIssuedBefore(user.get(), signOut.occurredAt());
        }

        Set<String> offlineClients = new LinkedHashSet<>();
        if (scope.isPresent()) {
            offlineClients.addAll(scope.get());
        } else {
            offlineClients.addAll(config.appClients().values());
            for (JsonNode consent : admin.get("users/" + segment(user.get()) + "/consents")) {
                if (consent.path("additionalGrants").size() > 0) {
                    offlineClients.add(consent.path("clientId").asText());
                }
            }
        }
        int offline = 0;
        for (String clientId : offlineClients) {
            Optional<String> uuid = admin.clientUuid(clientId);
            if (uuid.isEmpty()) {
                continue;
            }
            for (JsonNode session :
                    admin.get("users/" + segment(user.get()) + "/offline-sessions/" + segment(uuid.get()))) {
                if (session.path("start").asLong(Long.MAX_VALUE) < before) {
                    offline += admin.delete(
                                    "sessions/" + segment(session.path("id").asText()) + "?isOffline=true")
                            ? 1
                            : 0;
                }
            }
        }
        return new Ended(online, offline);
    }

    /** Whether Keycloak answers at all (the configured realm's discovery document, else its root). */
    @Override
    public boolean reachable() {
        Optional<String> realm = config.authRealm().or(config::realm);
        String path = realm.map(r -> "/realms/" + segment(r) + "/.well-known/openid-configuration")
                .orElse("/");
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(config.timeout())
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() < 500;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Optional<String> realmOf(String tenant) {
        String named = config.tenantRealms().get(tenant);
        return named != null ? Optional.of(named) : config.realm();
    }

    /** The Keycloak clients of the named apps, or empty for "every session" (no apps named, or one not mapped). */
    private Optional<Set<String>> clientsOf(SignOut signOut) {
        if (!signOut.namesApps()) {
            return Optional.empty();
        }
        Set<String> clients = new LinkedHashSet<>();
        for (String app : signOut.appIds()) {
            String client = config.appClients().get(app);
            if (client == null) {
                return Optional.empty();
            }
            clients.add(client);
        }
        return Optional.of(clients);
    }

    private static boolean takesPart(JsonNode session, Set<String> clients) {
        for (JsonNode client : session.path("clients")) {
            if (clients.contains(client.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Calls on one realm's admin API with the service account's token (fetched again once when refused). */
    private final class Admin {

        private final String realm;

        Admin(String realm) {
            this.realm = realm;
        }

        Optional<String> findUser(String userId) throws ProviderUnavailableException, RefusedSignOutException {
            return switch (config.userLookup()) {
                case ID -> {
                    HttpResponse<String> response = send("GET", "users/" + segment(userId));
                    yield response.statusCode() == 404
                            ? Optional.empty()
                            : Optional.of(parse(response).path("id").asText());
                }
                case USERNAME -> first(
                        get("users?exact=true&briefRepresentation=true&username=" + segment(userId)),
                        "username",
                        userId);
                case EMAIL -> first(
                        get("users?exact=true&briefRepresentation=true&email=" + segment(userId)), "email", userId);
            };
        }

        /**
         * Makes Keycloak refuse every token of the user's issued before the sign-out, refresh and offline tokens
         * included, whatever becomes of a session: a refresh that races the session's deletion can leave Keycloak
         * holding that session (measured: 1 to 3 of 50 sign-outs while the app refreshed every ~100 ms). Keycloak's
         * admin API sets a user's "not before" only through {@code POST users/{id}/logout}, to the time of the call,
         * so the bridge calls it only while the user's mark is still before the event's second: a repeat, a replay
         * or another replica finds the mark at or after the event and leaves sessions begun since alone. Only for a
         * sign-out of every app: the mark is the user's, for all clients.
         */
        void refuseTokensIssuedBefore(String userId, Instant occurredAt)
                throws ProviderUnavailableException, RefusedSignOutException {
            HttpResponse<String> current = send("GET", "users/" + segment(userId));
            if (current.statusCode() == 404
                    || parse(current).path("notBefore").asLong(0) >= occurredAt.getEpochSecond()) {
                return;
            }
            // a 404 here means the user was deleted meanwhile: nothing left to refuse
            send("POST", "users/" + segment(userId) + "/logout");
        }

        Optional<String> clientUuid(String clientId) throws ProviderUnavailableException, RefusedSignOutException {
            String key = realm + "/" + clientId;
            String known = clientUuids.get(key);
            if (known != null) {
                return Optional.of(known);
            }
            for (JsonNode client : get("clients?clientId=" + segment(clientId))) {
                if (clientId.equals(client.path("clientId").asText())) {
                    clientUuids.put(key, client.path("id").asText());
                    return Optional.of(client.path("id").asText());
                }
            }
            return Optional.empty();
        }

        JsonNode get(String path) throws ProviderUnavailableException, RefusedSignOutException {
            HttpResponse<String> response = send("GET", path);
            if (response.statusCode() == 404) {
                throw new RefusedSignOutException(
                        "Keycloak has no realm " + realm + " (404 for " + path.replaceAll("\\?.*", "") + ")");
            }
            return parse(response);
        }

        /** True when the session was there and is gone now; false when it had ended already. */
        boolean delete(String path) throws ProviderUnavailableException, RefusedSignOutException {
            HttpResponse<String> response = send("DELETE", path);
            return response.statusCode() != 404;
        }

        private HttpResponse<String> send(String method, String path)
                throws ProviderUnavailableException, RefusedSignOutException {
            return send(method, path, null);
        }

        private HttpResponse<String> send(String method, String path, String json)
                throws ProviderUnavailableException, RefusedSignOutException {
            HttpResponse<String> response = call(method, path, json, token(false));
            if (response.statusCode() == 401) {
                response = call(method, path, json, token(true));
            }
            int status = response.statusCode();
            if (status == 401) {
                throw new ProviderUnavailableException("Keycloak refuses the bridge's token for realm " + realm);
            }
            if (status == 403) {
                throw new RefusedSignOutException("the service account of " + config.clientId()
                        + " may not manage users of realm " + realm + " (403)");
            }
            if (status == 429 || status >= 500) {
                throw new ProviderUnavailableException("Keycloak answered " + status + " to " + method + " " + path);
            }
            if (status >= 300 && status != 404) {
                throw new ProviderUnavailableException(
                        "Keycloak answered " + status + " to " + method + " " + path + ": " + response.body());
            }
            return response;
        }

        private HttpResponse<String> call(String method, String path, String json, String token)
                throws ProviderUnavailableException {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(base + "/admin/realms/" + segment(realm) + "/" + path))
                    .timeout(config.timeout())
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            json == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(json))
                    .build();
            return exchange(request);
        }

        private String token(boolean fresh) throws ProviderUnavailableException, RefusedSignOutException {
            String authRealm = config.authRealm().orElse(realm);
            AdminToken known = tokens.get(authRealm);
            if (!fresh && known != null && clock.instant().isBefore(known.refreshAt())) {
                return known.value();
            }
            String form = "grant_type=client_credentials&client_id=" + segment(config.clientId()) + "&client_secret="
                    + segment(config.clientSecret());
            HttpResponse<String> response = exchange(HttpRequest.newBuilder(
                            URI.create(base + "/realms/" + segment(authRealm) + "/protocol/openid-connect/token"))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form))
                    .build());
            if (response.statusCode() == 404) {
                throw new RefusedSignOutException(
                        "Keycloak has no realm " + authRealm + " (404 for its token endpoint)");
            }
            if (response.statusCode() != 200) {
                throw new ProviderUnavailableException("Keycloak refused the bridge's client " + config.clientId()
                        + " a token in realm " + authRealm + " (" + response.statusCode() + ")");
            }
            JsonNode body = parse(response);
            long life = body.path("expires_in").asLong(60);
            AdminToken token = new AdminToken(
                    body.path("access_token").asText(),
                    clock.instant().plusSeconds(Math.max(1, life - Math.min(30, life / 2))));
            tokens.put(authRealm, token);
            return token.value();
        }

        private HttpResponse<String> exchange(HttpRequest request) throws ProviderUnavailableException {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ProviderUnavailableException("Keycloak at " + base + " cannot be reached: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderUnavailableException("interrupted while calling Keycloak", e);
            }
        }

        private JsonNode parse(HttpResponse<String> response) throws ProviderUnavailableException {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new ProviderUnavailableException("Keycloak answered what is not JSON: " + e.getMessage(), e);
            }
        }

        private Optional<String> first(JsonNode users, String attribute, String wanted) {
            for (JsonNode user : users) {
                if (wanted.equalsIgnoreCase(user.path(attribute).asText())) {
                    return Optional.of(user.path("id").asText());
                }
            }
            return Optional.empty();
        }
    }
}
