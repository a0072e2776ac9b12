package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.deploy.StackConfig;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.scenario.OtlpReceiver.ReceivedSpan;
import dev.bulwark.testsupport.TopicProbe;
import dev.bulwark.testsupport.TopicProbe.ReceivedEvent;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees of the running processes. Traces: one trace from a check-in to its SignOutRequired —
 * device-registry's request span, the DeviceStateReported it wrote to the outbox (ce_traceparent), compliance-service's
 * consumer span continuing it, and the SignOutRequired that span caused, whose header an outside consumer reads; the
 * services export over OTLP/HTTP to a real receiver this test runs, switched on by Quarkus' own settings as an operator
 * would. Logs: JSON lines as in production, the request's trace on its lines, and never a token or a profile's secret.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityScenariosIT {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    private static OtlpReceiver receiver;
    private static RunningStack stack;

    @BeforeAll
    static void startStack() {
        receiver = OtlpReceiver.start();
        Map<String, String> operated = Map.of(
                "QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.2S",
                // production's JSON lines (the local stack's default is text), and a line per request
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true",
                "QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true");
        stack = ScenarioStack.start(dataDir, EnumSet.copyOf(SERVICES), config -> withEnvironment(config, operated));
    }

    private static final List<BulwarkService> SERVICES =
            List.of(BulwarkService.DEVICE_REGISTRY, BulwarkService.POLICY_SERVICE, BulwarkService.COMPLIANCE_SERVICE);

    /** Every token and secret the scenario used; none may appear in any log line. */
    private static final List<String> SECRETS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The check-in's trace, for the log test. */
    private static volatile String checkInTrace;

    private static volatile String checkedInDevice;

    private static StackConfig withEnvironment(StackConfig config, Map<String, String> env) {
        StackConfig changed = config;
        for (BulwarkService service : SERVICES) {
            changed = changed.withEnvironment(service, env);
        }
        return changed;
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void aCheckInAndTheSignOutItCausesAreOneTraceAcrossTheOutboxKafkaAndBothServices() {
        String tenant = "traced-" + UUID.randomUUID();
        String admin = stack.adminToken(tenant);
        SECRETS.add(admin);
        ScenarioTenant traced = new ScenarioTenant(stack, tenant, admin);
        String user = "user-" + UUID.randomUUID();
        traced.createUser(user);
        ScenarioTenant.ManagedPhone phone = traced.enrollPhone(user);
        String deviceId = phone.deviceId();
        SECRETS.add(phone.credential());
        checkedInDevice = deviceId;

        try (TopicProbe devices = TopicProbe.open(stack.bootstrapServers(), Topics.DEVICES);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {
            traced.checkIn(phone, "12");

            ReceivedEvent reported = devices.awaitReceived(
                    DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), EVENT_TIMEOUT);
            ReceivedEvent signOut = signOuts.awaitReceived(
                    SignOutRequired.class, e -> e.getSubjectId().equals(deviceId), EVENT_TIMEOUT);

            Traceparent fromRegistry = Traceparent.of(reported.headers().get("ce_traceparent"));
            Traceparent fromCompliance = Traceparent.of(signOut.headers().get("ce_traceparent"));
            assertThat(fromCompliance.traceId())
                    .as("the SignOutRequired continues the check-in's trace")
                    .isEqualTo(fromRegistry.traceId());

            String trace = fromRegistry.traceId();
            checkInTrace = trace;
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> span(trace, fromRegistry.spanId()).isPresent()
                                && span(trace, fromCompliance.spanId()).isPresent());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "spans of " + fromRegistry + " and " + fromCompliance + " not both received; of the trace: "
                                + receiver.ofTrace(trace) + "; received "
                                + receiver.spans().size() + " spans, e.g. "
                                + receiver.spans().stream().limit(5).toList() + "; requests: " + receiver.requests()
                                + "; device-registry on exporting: "
                                + exporterLines(BulwarkService.DEVICE_REGISTRY),
                        e);
            }
            ReceivedSpan request = span(trace, fromRegistry.spanId()).orElseThrow();
            ReceivedSpan consumer = span(trace, fromCompliance.spanId()).orElseThrow();

            assertThat(request.service()).isEqualTo("device-registry");
            assertThat(request.attributes().get("url.path")).isEqualTo("/api/v1/devices/" + deviceId + "/state");
            assertThat(consumer.service()).isEqualTo("compliance-service");
            assertThat(consumer.name()).isEqualTo(Topics.DEVICES + " process");
            assertThat(consumer.parentSpanId())
                    .as("compliance-service's span is the child of the span that wrote the DeviceStateReported")
                    .isEqualTo(fromRegistry.spanId());
            assertThat(consumer.attributes().get("messaging.message.id"))
                    .isEqualTo(reported.event(DeviceStateReported.class).getEventId());
        }
    }

    @Test
    @Order(2)
    void logsAreJsonLinesWithTheRequestsTraceAndNeverATokenOrAProfilesSecret() throws Exception {
        String tenant = "logged-" + UUID.randomUUID();
        String admin = stack.adminToken(tenant);
        SECRETS.add(admin);
        String preSharedKey = "psk-" + UUID.randomUUID();
        SECRETS.add(preSharedKey);
        String policy = stack.url(BulwarkService.POLICY_SERVICE);
        String profile =
                """
                {"name": "Office Wi-Fi", "platform": "ANDROID", "type": "WIFI",
                 "settings": {"ssid": "contoso-office", "security": "%s", "preSharedKey": "%s"},
                 "targets": [{"kind": "ALL_DEVICES"}]}
                """;
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(profile.formatted("WPA2_PERSONAL", preSharedKey))
                .post(policy + "/api/v1/configuration-profiles")
                .then()
                .statusCode(201);
        // refused input that carries the secret, and a forged token that carries a real one: the error paths
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(profile.formatted("NO_SUCH_SECURITY", preSharedKey))
                .post(policy + "/api/v1/configuration-profiles")
                .then()
                .statusCode(422);
        String forged = admin.substring(0, admin.length() - 4) + "AAAA";
        SECRETS.add(forged);
        given().auth()
                .oauth2(forged)
                .get(stack.url(BulwarkService.DEVICE_REGISTRY) + "/api/v1/users")
                .then()
                .statusCode(401);

        assertThat(checkInTrace).as("the trace scenario ran first").isNotNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Map<String, Object>> registryLines = jsonLines(BulwarkService.DEVICE_REGISTRY);
            assertThat(registryLines)
                    .as("device-registry's access-log line of the check-in carries its trace")
                    .anySatisfy(line -> {
                        assertThat(String.valueOf(line.get("message")))
                                .contains("/api/v1/devices/" + checkedInDevice + "/state");
                        assertThat(String.valueOf(line.get("mdc"))).contains(checkInTrace);
                    });
        });
        for (BulwarkService service : SERVICES) {
            List<String> lines = Files.readAllLines(log(service));
            for (String line : lines) {
                for (String secret : SECRETS) {
                    assertThat(line)
                            .as("%s logged a token or a secret", service.moduleName())
                            .doesNotContain(secret)
                            // a token's signature alone is enough to matter
                            .doesNotContain(secret.substring(Math.max(0, secret.length() - 24)));
                }
            }
            assertThat(jsonLines(service))
                    .as("%s's JSON lines", service.moduleName())
                    .isNotEmpty();
        }
    }

    /** The process's log from its first JSON line on, each line parsed: all of them must be JSON objects. */
    private static List<Map<String, Object>> jsonLines(BulwarkService service) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log(service));
        int first = 0;
        while (first < lines.size() && !lines.get(first).startsWith("{")) {
            first++;
        }
        List<Map<String, Object>> parsed = new java.util.ArrayList<>();
        for (String line : lines.subList(first, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = JSON.readValue(line, Map.class);
            assertThat(object)
                    .as("a log line of %s", service.moduleName())
                    .containsKeys("timestamp", "level", "message");
            parsed.add(object);
        }
        return parsed;
    }

    private static Path log(BulwarkService service) {
        return stack.services().stream()
                .filter(p -> p.service() == service)
                .findFirst()
                .orElseThrow()
                .log();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static List<String> exporterLines(BulwarkService service) {
        try {
            return Files.readAllLines(log(service)).stream()
                    .filter(line -> line.toLowerCase(java.util.Locale.ROOT).matches(".*(otlp|export|opentelemetry).*"))
                    .limit(10)
                    .toList();
        } catch (java.io.IOException e) {
            return List.of(e.toString());
        }
    }

    private static Optional<ReceivedSpan> span(String traceId, String spanId) {
        return receiver.ofTrace(traceId).stream()
                .filter(s -> s.spanId().equals(spanId))
                .findFirst();
    }

    /** A W3C traceparent header value: version-traceid-spanid-flags. */
    private record Traceparent(String traceId, String spanId) {

        static Traceparent of(String header) {
            assertThat(header).as("ce_traceparent").isNotNull().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
            String[] parts = header.split("-");
            return new Traceparent(parts[1], parts[2]);
        }
    }
}
