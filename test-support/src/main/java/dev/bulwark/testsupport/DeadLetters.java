package dev.bulwark.testsupport;

import dev.bulwark.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads a service's dead-letter topic raw: what lands there is by definition not decodable as an event, so
 * {@link TopicProbe} cannot read it.
 */
public final class DeadLetters {

    private DeadLetters() {}

    /** Waits for the record keyed {@code key} on {@code service}'s dead-letter topic and returns it. */
    public static DeadLetter await(String service, String key, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BulwarkInfra.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.deadLetter(service)));
            return Awaitility.await("dead letter keyed " + key)
                    .atMost(timeout)
                    .pollInterval(Duration.ZERO)
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
                                return seen.stream()
                                        .filter(record -> key.equals(record.key()))
                                        .findFirst()
                                        .map(DeadLetter::of);
                            },
                            Optional::isPresent)
                    .orElseThrow();
        }
    }

    /** The keys of every record on {@code service}'s dead-letter topic now (read up to its end offsets). */
    public static List<String> keys(String service) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BulwarkInfra.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(Topics.deadLetter(service), Duration.ofSeconds(10)).stream()
                            .map(info -> new TopicPartition(info.topic(), info.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            Awaitility.await("the end of " + Topics.deadLetter(service))
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
                        return ends.entrySet().stream()
                                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
                    });
        }
        return keys;
    }

    /** A dead-lettered record: its bytes as sent, and its headers as text. */
    public record DeadLetter(byte[] value, Map<String, String> headers) {
        static DeadLetter of(ConsumerRecord<String, byte[]> record) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : record.headers()) {
                headers.put(
                        header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
            }
            return new DeadLetter(record.value(), headers);
        }
    }
}
