package dev.bulwark.registry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.InstalledApp;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
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
import java.util.concurrent.TimeUnit;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * The benchmark's anchor, as issue 15 states it: a bare endpoint on the HTTP server Quarkus itself runs on (Vert.x 4:
 * event loops take the request and its body, a worker pool runs the blocking part), with nothing else of a framework.
 * Per request it verifies the RS256 bearer token with jose4j (the library smallrye-jwt uses in device-registry:
 * signature, issuer, expiry), requires a tenant and the device claim naming the path's device, parses the JSON body
 * with Jackson, and in one JDBC transaction upserts the device's state row and inserts one outbox row carrying the
 * Avro-encoded DeviceStateReported with its CloudEvents headers, on the same PostgreSQL as device-registry (its own
 * tables in schema {@code bench_anchor}). Each worker thread keeps its own connection (a pool of {@code workers}, as
 * Agroal's default 20 in the service). It publishes nothing: the relay's work is not part of the anchor, as in the
 * issue's measurement.
 */
final class VertxCheckInEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpServer server;
    private final JwtConsumer tokens;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final List<Connection> opened = new ArrayList<>();

    VertxCheckInEndpoint(Path publicKeyPem, String issuer, String jdbcUrl, String user, String password, int workers)
            throws Exception {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.tokens = new JwtConsumerBuilder()
                .setVerificationKey(readPublicKey(publicKeyPem))
                .setJwsAlgorithmConstraints(
                        AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer(issuer)
                .setRequireExpirationTime()
                .setSkipDefaultAudienceValidation()
                .build();
        createTables(jdbcUrl, user, password);
        // Quarkus' defaults: 2 event loops per core; the worker pool stands for its executor threads.
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(2 * Runtime.getRuntime().availableProcessors())
                .setWorkerPoolSize(workers));
        Router router = Router.router(vertx);
        router.post("/api/v1/devices/:deviceId/state")
                .handler(BodyHandler.create().setBodyLimit(10L * 1024 * 1024))
                .blockingHandler(this::handle, false);
        this.server = vertx.createHttpServer(
                        new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(router)
                .listen()
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private void handle(RoutingContext context) {
        try {
            String deviceId = context.pathParam("deviceId");
            JwtClaims claims = verifiedClaims(context.request().getHeader("Authorization"));
            if (claims == null) {
                answer(context, 401, "{\"title\":\"Unauthorized\"}");
                return;
            }
            String tenantId = claims.getClaimValueAsString("tenant_id");
            if (tenantId == null || tenantId.isEmpty()) {
                answer(context, 403, "{\"title\":\"Forbidden\"}");
                return;
            }
            if (!deviceId.equals(claims.getClaimValueAsString("device_id"))) {
                answer(context, 403, "{\"title\":\"Forbidden\"}");
                return;
            }
            JsonNode body = JSON.readTree(context.body().buffer().getBytes());
            if (!body.path("osVersion").isTextual()
                    || !body.path("encrypted").isBoolean()
                    || !body.path("passcodeSet").isBoolean()
                    || !body.path("jailbroken").isBoolean()) {
                answer(context, 400, "{\"title\":\"Bad Request\"}");
                return;
            }
            Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
            store(tenantId, deviceId, body, now);
            answer(
                    context,
                    200,
                    "{\"deviceId\":\"" + deviceId + "\",\"applied\":true,\"lastContactAt\":\"" + now
                            + "\",\"stateReportedAt\":\"" + now + "\"}");
        } catch (IOException e) {
            answer(context, 400, "{\"title\":\"Bad Request\"}");
        } catch (SQLException | RuntimeException e) {
            answer(context, 500, "{\"title\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** The token's claims when its RS256 signature, issuer and expiry hold; null otherwise. */
    private JwtClaims verifiedClaims(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        try {
            return tokens.processToClaims(authorization.substring("Bearer ".length()));
        } catch (InvalidJwtException e) {
            return null;
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

    private static void answer(RoutingContext context, int status, String json) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(json);
    }

    static void createTables(String jdbcUrl, String user, String password) throws SQLException {
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
    }

    private static PublicKey readPublicKey(Path pem) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pem)
                .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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
