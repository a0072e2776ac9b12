package dev.bulwark.policy.flow;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.testsupport.BulwarkInfra;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Many events on a topic at once, as another service's relay publishes them: one producer kept open, whose sends leave
 * together at {@link #flush()} (so the consumer polls them as batches).
 */
final class Burst implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            BulwarkInfra.kafkaBootstrap(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            50,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName()));

    private final String topic;

    Burst(String topic) {
        this.topic = topic;
    }

    /** Queues {@code event}, encoded and with its CloudEvents headers, under {@code key}. */
    void send(String key, SpecificRecord event) {
        producer.send(new ProducerRecord<>(
                topic,
                null,
                key,
                EventCodec.encode(event),
                CloudEventHeaders.toKafka(CloudEventHeaders.of(event, "test", key))));
    }

    /** Sends what was queued and waits for the broker's acks. */
    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
