package dev.bulwark.registry.managed;

import static dev.bulwark.registry.Registry.enrollment;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.Topics;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Reads what device-registry publishes the way an outside consumer would: a plain Kafka consumer and nothing but the
 * published .avsc files (single-object encoding: marker C3 01, CRC-64-AVRO fingerprint, body).
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class DeviceEventsContractTest {

    private static Schema published(String record) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        for (String type : List.of("Platform", "Ownership", "ManagementType")) {
            parser.parse(resource("avro/types/" + type + ".avsc"));
        }
        return parser.parse(resource("avro/" + record + ".avsc"));
    }

    private static InputStream resource(String path) {
        InputStream in = DeviceEventsContractTest.class.getClassLoader().getResourceAsStream(path);
        assertThat(in).as("published schema " + path).isNotNull();
        return in;
    }

    @Test
    void deviceEnrolledDecodesWithOnlyThePublishedSchema() throws IOException {
        Schema schema = published("DeviceEnrolled");
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("outsider");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BulwarkInfra.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "contract-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEVICES, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(Topics.DEVICES, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));

            String deviceId = tenant.asAdmin()
                    .body(enrollment(userId, "ANDROID", "14.1", "contract-hw"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("deviceId");

            byte[] value = awaitValue(consumer, deviceId);
            assertThat(Arrays.copyOf(value, 2)).containsExactly((byte) 0xC3, (byte) 0x01);
            long fingerprint =
                    ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(schema));
            GenericRecord event = new GenericDatumReader<GenericRecord>(schema)
                    .read(null, DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null));
            assertThat(event.get("tenantId").toString()).isEqualTo(tenant.tenantId);
            assertThat(event.get("deviceId").toString()).isEqualTo(deviceId);
            assertThat(event.get("userId").toString()).isEqualTo(userId);
            assertThat(event.get("platform").toString()).isEqualTo("ANDROID");
            assertThat(event.get("osVersion").toString()).isEqualTo("14.1");
            assertThat(event.get("ownership").toString()).isEqualTo("CORPORATE");
            assertThat(UUID.fromString(event.get("eventId").toString())).isNotNull();
            assertThat((Long) event.get("occurredAt")).isPositive();
        }
    }

    private static byte[] awaitValue(KafkaConsumer<String, byte[]> consumer, String key) {
        Instant deadline = Instant.now().plus(Registry.EVENT_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (key.equals(record.key())) {
                    return record.value();
                }
            }
        }
        throw new AssertionError(
                "no record keyed " + key + " on " + Topics.DEVICES + " within " + Registry.EVENT_TIMEOUT);
    }
}
