package dev.bulwark.assignment.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The devices consumer applies a poll's records in one transaction: a join storm's enrollments, sent together as a
 * relay sends them, are applied in a handful of transactions (one per record before), each enrollment once. Counted by
 * the inbox rows' {@code xmin}: the id of the transaction that wrote each row, the one that applied its event.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class DeviceBatchTest {

    private static final int DEVICES = 100;

    @Inject
    EntityManager entityManager;

    @Test
    void aPollOfEnrollmentsIsAppliedInAFewTransactionsNotOnePerEvent() {
        String tenant = "t-" + UUID.randomUUID();
        List<String> eventIds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BulwarkInfra.kafkaBootstrap(),
                ProducerConfig.LINGER_MS_CONFIG,
                50,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName()))) {
            for (int i = 0; i < DEVICES; i++) {
                String deviceId = "dev-" + i + "-" + tenant;
                DeviceEnrolled enrolled = DeviceEnrolled.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setDeviceId(deviceId)
                        .setUserId("user-" + i)
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("15")
                        .setHardwareId("hw-" + deviceId)
                        .setModel(null)
                        .setOwnership(Ownership.CORPORATE)
                        .build();
                eventIds.add(enrolled.getEventId());
                producer.send(new ProducerRecord<>(
                        Topics.DEVICES,
                        null,
                        deviceId,
                        EventCodec.encode(enrolled),
                        CloudEventHeaders.toKafka(CloudEventHeaders.of(enrolled, "test", deviceId))));
            }
            producer.flush();
        }

        await("every enrollment applied")
                .atMost(Duration.ofMinutes(2))
                .until(() -> count("select count(*) from managed_device where tenant_id = ?1", tenant) == DEVICES);
        long transactions = QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                        .createNativeQuery("select count(distinct xmin::text) from processed_event"
                                + " where consumer = ?1 and event_id = any(?2)")
                        .setParameter(1, DeviceEventsConsumer.CONSUMER)
                        .setParameter(2, eventIds.toArray(String[]::new))
                        .getSingleResult())
                .longValue());
        assertThat(transactions)
                .as("transactions that applied %d enrollments", DEVICES)
                .isBetween(1L, (long) DEVICES / 10);
    }

    private long count(String sql, String parameter) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                        .createNativeQuery(sql)
                        .setParameter(1, parameter)
                        .getSingleResult())
                .longValue());
    }
}
