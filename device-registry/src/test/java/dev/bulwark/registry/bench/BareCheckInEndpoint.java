package dev.bulwark.registry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.InstalledApp;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The benchmark's anchor: the least a check-in endpoint must do, with nothing of a framework around it. Per request it
 * verifies the RS256 bearer token (signature with the stack's public key, issuer, expiry, tenant and the device claim
 * naming the path's device), parses the JSON body, and in one JDBC transaction upserts the device's state row and
 * inserts one outbox row carrying the Avro-encoded DeviceStateReported with its CloudEvents headers, on the same
 * PostgreSQL as device-registry (its own tables in schema {@code bench_anchor}). It publishes nothing: the relay's work
 * is not part of the anchor, as in the measurement.
 */
final class BareCheckInEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/api/v1/devices/";

    private final HttpServer server;
    private final ExecutorService workers;
    private final PublicKey publicKey;
    private final String issuer;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final List<Connection> opened = new ArrayList<>();

    BareCheckInEndpoint(Path publicKeyPem, String issuer, String jdbcUrl, String user, String password, int threads)
            throws IOException, GeneralSecurityException, SQLException {
        this.publicKey = readPublicKey(publicKeyPem);
        this.issuer = issuer;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
                Statement ddl = connection.createStatement()) {
            ddl.execute("create schema if not exists bench_anchor");
            ddl.execute("create table if not exists bench_anchor.device_state (device_id text primary key,"
                    + " tenant_id text not null, os_version text, encrypted boolean, passcode_set boolean,"
                    + " jailbroken boolean, installed_apps jsonb, last_contact_at timestamptz,"
                    + " state_reported_at timestamptz)");
            ddl.execute("create table if not exists bench_anchor.outbox_event (id bigserial primary key,"
                    + " event_id text not null unique, topic text not null, event_key text not null,"
                    + " event_type text not null, payload bytea not null, headers text not null,"
                    + " created_at timestamptz not null default now(), tenant_id text not null default '')");
            ddl.execute("truncate bench_anchor.device_state, bench_anchor.outbox_event");
        }
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "anchor-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(workers);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/state")) {
                answer(exchange, 404, "{}");
                return;
            }
            String deviceId = path.substring(PREFIX.length(), path.length() - "/state".length());
            JsonNode claims = verifiedClaims(exchange.getRequestHeaders().getFirst("Authorization"));
            if (claims == null) {
                answer(exchange, 401, "{\"title\":\"Unauthorized\"}");
                return;
            }
            if (!deviceId.equals(claims.path("device_id").asText())) {
                answer(exchange, 403, "{\"title\":\"Forbidden\"}");
                return;
            }
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            }
            if (!body.path("osVersion").isTextual() || !body.path("encrypted").isBoolean()) {
                answer(exchange, 400, "{\"title\":\"Bad Request\"}");
                return;
            }
            Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
            store(claims.path("tenant_id").asText(), deviceId, body, now);
            answer(
                    exchange,
                    200,
                    "{\"deviceId\":\"" + deviceId + "\",\"applied\":true,\"lastContactAt\":\"" + now
                            + "\",\"stateReportedAt\":\"" + now + "\"}");
        } catch (SQLException | RuntimeException e) {
            answer(exchange, 500, "{\"title\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private void store(String tenantId, String deviceId, JsonNode body, Instant now) throws SQLException {
        List<InstalledApp> apps = new ArrayList<>();
        for (JsonNode app : body.path("installedApps")) {
            apps.add(InstalledApp.newBuilder()
                    .setAppId(app.path("appId").asText())
                    .setVersion(app.path("version").asText())
                    .build());
        }
        DeviceStateReported event = DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(tenantId)
                .setSubjectId(deviceId)
                .setManagementType(ManagementType.MANAGED)
                .setUserId("bench-user")
                .setPlatform(Platform.ANDROID)
                .setOsVersion(body.path("osVersion").asText())
                .setEncrypted(body.path("encrypted").asBoolean())
                .setPasscodeSet(body.path("passcodeSet").asBoolean())
                .setJailbroken(body.path("jailbroken").asBoolean())
                .setInstalledApps(apps)
                .setLastContactAt(now)
                .setConfigurationProfiles(List.of())
                .setSelectiveWipeResults(List.of())
                .build();
        byte[] payload = EventCodec.encode(event);
        String headers;
        try {
            headers = JSON.writeValueAsString(CloudEventHeaders.of(event, "bench-anchor", deviceId));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Connection connection = connection();
        try (PreparedStatement upsert = connection.prepareStatement("insert into bench_anchor.device_state"
                        + " (device_id, tenant_id, os_version, encrypted, passcode_set, jailbroken, installed_apps,"
                        + " last_contact_at, state_reported_at) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)"
                        + " on conflict (device_id) do update set os_version = excluded.os_version,"
                        + " encrypted = excluded.encrypted, passcode_set = excluded.passcode_set,"
                        + " jailbroken = excluded.jailbroken, installed_apps = excluded.installed_apps,"
                        + " last_contact_at = excluded.last_contact_at, state_reported_at = excluded.state_reported_at"
                        + " where bench_anchor.device_state.tenant_id = excluded.tenant_id");
                PreparedStatement outbox = connection.prepareStatement("insert into bench_anchor.outbox_event"
                        + " (event_id, topic, event_key, event_type, payload, headers, tenant_id)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")) {
            Timestamp at = Timestamp.from(now);
            upsert.setString(1, deviceId);
            upsert.setString(2, tenantId);
            upsert.setString(3, event.getOsVersion());
            upsert.setBoolean(4, event.getEncrypted());
            upsert.setBoolean(5, event.getPasscodeSet());
            upsert.setBoolean(6, event.getJailbroken());
            upsert.setString(7, body.path("installedApps").toString());
            upsert.setTimestamp(8, at);
            upsert.setTimestamp(9, at);
            upsert.executeUpdate();
            outbox.setString(1, event.getEventId());
            outbox.setString(2, "bulwark.devices.v1");
            outbox.setString(3, deviceId);
            outbox.setString(4, "DeviceStateReported");
            outbox.setBytes(5, payload);
            outbox.setString(6, headers);
            outbox.setString(7, tenantId);
            outbox.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /** The token's claims when its RS256 signature, issuer, expiry and tenant hold; null otherwise. */
    private JsonNode verifiedClaims(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return null;
            }
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(publicKey);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return null;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            boolean valid = issuer.equals(claims.path("iss").asText())
                    && claims.path("exp").asLong() > System.currentTimeMillis() / 1000
                    && !claims.path("tenant_id").asText().isEmpty();
            return valid ? claims : null;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private Connection connection() throws SQLException {
        Connection connection = connections.get();
        if (connection == null) {
            connection = DriverManager.getConnection(jdbcUrl, user, password);
            connection.setAutoCommit(false);
            connections.set(connection);
            synchronized (opened) {
                opened.add(connection);
            }
        }
        return connection;
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static PublicKey readPublicKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem)
                .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        synchronized (opened) {
            for (Connection connection : opened) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // closing at the end of the run
                }
            }
        }
    }
}
