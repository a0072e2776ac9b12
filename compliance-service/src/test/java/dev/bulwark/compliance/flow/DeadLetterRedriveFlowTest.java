package dev.bulwark.compliance.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Dead letters are listed with their reasons and re-driven through the service's own consumer (never the public topic
 * again): valid events that an older build dead-lettered during an outage land once, a second re-drive changes
 * nothing, and a record that is still poison stays with its reason.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class DeadLetterRedriveFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);
    private static final String DLQ = Topics.deadLetter("compliance-service");

    @Test
    void reDrivenEventsLandOnceASecondReDriveChangesNothingAndPoisonStaysWithItsReason() {
        DeviceEvents device = DeviceEvents.newDevice();
        DeviceStateReported report = device.failingReport();
        String poisonKey = "poison-" + UUID.randomUUID();
        // what today's main wrote when the database was away: valid events, dead-lettered with a connection error
        deadLetter(device.deviceId, EventCodec.encode(device.enrolled(Platform.ANDROID, "13")), 0);
        deadLetter(device.deviceId, EventCodec.encode(report), 1);
        deadLetter(poisonKey, "not avro".getBytes(StandardCharsets.UTF_8), 2);

        JsonPath listed = given().auth()
                .oauth2(operator())
                .get("/api/v1/admin/dead-letters")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(listed.getString("find { it.key == '" + poisonKey + "' }.reason"))
                .contains("connection");
        assertThat(listed.getString("find { it.key == '" + poisonKey + "' }.sourceTopic"))
                .isEqualTo(Topics.DEVICES);
        assertThat(listed.getList("findAll { it.key == '" + device.deviceId + "' }.redriven"))
                .containsExactly(false, false);

        try (TopicProbe compliance = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.COMPLIANCE);
                TopicProbe devices = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            JsonPath first = redrive();
            assertThat(first.getList("items.findAll { it.key == '" + device.deviceId + "' }.outcome"))
                    .containsExactly("REDRIVEN", "REDRIVEN");
            assertThat(first.getString("items.find { it.key == '" + poisonKey + "' }.outcome"))
                    .isEqualTo("STILL_FAILING");
            assertThat(first.getString("items.find { it.key == '" + poisonKey + "' }.reason"))
                    .startsWith("POISON");
            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(failed.getCauseEventId()).isEqualTo(report.getEventId());

            JsonPath second = redrive();
            assertThat(second.getList("items.findAll { it.key == '" + device.deviceId + "' }.outcome"))
                    .containsExactly("ALREADY_REDRIVEN", "ALREADY_REDRIVEN");
            assertThat(second.getString("items.find { it.key == '" + poisonKey + "' }.outcome"))
                    .isEqualTo("STILL_FAILING");
            await("no second ComplianceFailed")
                    .during(Duration.ofSeconds(3))
                    .atMost(EVENT_TIMEOUT)
                    .until(() -> compliance.all().stream()
                                    .filter(r -> r.event() instanceof ComplianceFailed f
                                            && f.getSubjectId().equals(device.deviceId))
                                    .count()
                            == 1);
            // outside consumers of the public topic saw nothing again
            assertThat(devices.all()).noneMatch(r -> device.deviceId.equals(r.key()));
        }
        JsonPath after = given().auth()
                .oauth2(operator())
                .get("/api/v1/admin/dead-letters")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(after.getList("findAll { it.key == '" + device.deviceId + "' }.redriven"))
                .containsExactly(true, true);
    }

    @Test
    void aTenantAdminMayNotReadOrReDriveDeadLetters() {
        String admin = TestTokens.admin("tenant-" + UUID.randomUUID());
        given().auth().oauth2(admin).get("/api/v1/admin/dead-letters").then().statusCode(403);
        given().auth()
                .oauth2(admin)
                .post("/api/v1/admin/dead-letters/redrive")
                .then()
                .statusCode(403);
    }

    private static JsonPath redrive() {
        return given().auth()
                .oauth2(operator())
                .post("/api/v1/admin/dead-letters/redrive")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String operator() {
        return TestTokens.mint("operations", "ops@bulwark", Set.of("operator"), Optional.empty());
    }

    private static void deadLetter(String key, byte[] value, long sourceOffset) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BulwarkInfra.kafkaBootstrap()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(DLQ, key, value);
            Map<String, String> headers = Map.of(
                    "dead-letter-reason", "JDBC exception executing SQL: This connection has been closed.",
                    "dead-letter-cause", "This connection has been closed.",
                    "dead-letter-exception-class-name", "org.hibernate.exception.JDBCConnectionException",
                    "dead-letter-topic", Topics.DEVICES,
                    "dead-letter-partition", "0",
                    "dead-letter-offset", Long.toString(sourceOffset));
            headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
