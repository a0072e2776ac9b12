package dev.bulwark.testsupport;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.EventCodec;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes events onto the real broker as another service would, and raw bytes as a broken producer would. */
public final class TestEvents {

    private TestEvents() {}

    /** Publishes {@code event}, encoded and with its CloudEvents headers, and waits for the broker's ack. */
    public static void publish(String bootstrap, String topic, String key, SpecificRecord event) {
        send(
                bootstrap,
                new ProducerRecord<>(
                        topic,
                        null,
                        key,
                        EventCodec.encode(event),
                        CloudEventHeaders.toKafka(CloudEventHeaders.of(event, "test", key))));
    }

    /** Publishes arbitrary bytes, with no headers. */
    public static void publishRaw(String bootstrap, String topic, String key, byte[] value) {
        send(bootstrap, new ProducerRecord<>(topic, null, key, value, new RecordHeaders()));
    }

    private static void send(String bootstrap, ProducerRecord<String, byte[]> record) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName()))) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not publish to " + record.topic(), e);
        }
    }
}
