package dev.bulwark.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void aStartedBrokerAcceptsAnAckedRecordAndKeepsItAcrossARestartOnTheSameFolder() throws Exception {
        Path dir = Files.createTempDirectory("kafka-broker-test");
        int port;
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            port = broker.port();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    true,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class))) {
                producer.send(new ProducerRecord<>("probe", "k", "v")).get();
            }
        }
        try (KafkaBroker again = KafkaBroker.start(dir, port, Duration.ofSeconds(60))) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, again.bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-reader");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                consumer.subscribe(List.of("probe"));
                long deadline = System.currentTimeMillis() + 30_000;
                int seen = 0;
                while (seen == 0 && System.currentTimeMillis() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    seen += records.count();
                }
                assertThat(seen).isEqualTo(1);
            }
        }
    }

    @Test
    void aClusterIdThatStartsWithADashIsFormattedLikeAnyOther() throws Exception {
        // One random id in 64 starts with '-' (URL-safe base64); the storage tool once read it as an option.
        Path dir = Files.createTempDirectory("kafka-broker-dash");
        Files.writeString(dir.resolve("cluster.id"), "-AbCdEfGhIjKlMnOpQrStU");
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class))) {
                assertThat(producer.send(new ProducerRecord<>("probe", "k", "v"))
                                .get()
                                .offset())
                        .isZero();
            }
        }
    }
}
