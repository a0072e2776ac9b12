package dev.bulwark.kit.consumer;

import dev.bulwark.kit.inbox.Inbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Lists the service's dead letters and re-drives them through the consumer that reads their source topic — only this
 * service's consumer, never the public topic again, so outside consumers see no duplicate. A dead letter applied by a
 * re-drive is marked in the inbox (consumer {@code <dlq topic>.redrive}, id {@code partition@offset}), so a second
 * re-drive skips it; the consumer's own inbox already makes re-applying an event a no-op.
 */
@ApplicationScoped
public class DeadLetterRedrive {

    private static final Logger LOG = Logger.getLogger(DeadLetterRedrive.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final DeadLetterTopic topic;
    private final Instance<RedrivableConsumer> consumers;
    private final Instance<Inbox> inbox;
    private final Instance<EntityManager> entityManager;
    private final String bootstrapServers;

    DeadLetterRedrive(
            DeadLetterTopic topic,
            Instance<RedrivableConsumer> consumers,
            Instance<Inbox> inbox,
            Instance<EntityManager> entityManager,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.topic = topic;
        this.consumers = consumers;
        this.inbox = inbox;
        this.entityManager = entityManager;
        this.bootstrapServers = bootstrapServers;
    }

    /** Every dead letter on the topic now, oldest first per partition. */
    public List<DeadLetter> list() {
        List<DeadLetter> letters = new ArrayList<>();
        readAll(record -> letters.add(describe(record)));
        return letters;
    }

    /** Re-drives every dead letter not re-driven before; one attempt each, in topic order per partition. */
    public Redrive redrive() {
        Map<String, RedrivableConsumer> bySource = new HashMap<>();
        consumers.forEach(consumer -> bySource.put(consumer.topic(), consumer));
        List<Redrive.Item> items = new ArrayList<>();
        readAll(record -> items.add(redrive(record, bySource)));
        return Redrive.of(items);
    }

    private Redrive.Item redrive(ConsumerRecord<String, byte[]> letter, Map<String, RedrivableConsumer> bySource) {
        DeadLetter described = describe(letter);
        String mark = letter.partition() + "@" + letter.offset();
        if (described.redriven()) {
            return item(letter, described, Redrive.Outcome.ALREADY_REDRIVEN, "");
        }
        RedrivableConsumer consumer = bySource.get(described.sourceTopic());
        if (consumer == null) {
            return item(letter, described, Redrive.Outcome.NO_CONSUMER, "no consumer reads " + described.sourceTopic());
        }
        try {
            ConsumerRunner.once(original(letter, described), consumer::apply);
        } catch (RuntimeException failure) {
            LOG.warnf(
                    "Re-drive of %s-%s failed again (%s): %s",
                    topic.topic(), mark, Failures.classify(failure), failure);
            return item(letter, described, Redrive.Outcome.STILL_FAILING, Failures.classify(failure) + ": " + failure);
        }
        // after the effect committed: a crash in between only means the next re-drive meets the consumer's inbox
        QuarkusTransaction.requiringNew().run(() -> inbox.get().firstDelivery(markConsumer(), mark));
        return item(letter, described, Redrive.Outcome.REDRIVEN, "");
    }

    private static Redrive.Item item(
            ConsumerRecord<String, byte[]> letter, DeadLetter described, Redrive.Outcome outcome, String reason) {
        return new Redrive.Item(
                letter.partition(), letter.offset(), letter.key(), described.sourceTopic(), outcome, reason);
    }

    /** The record as its consumer first read it: its source topic, partition and offset, without the reason headers. */
    private static ConsumerRecord<String, byte[]> original(
            ConsumerRecord<String, byte[]> letter, DeadLetter described) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : letter.headers()) {
            if (!header.key().startsWith("dead-letter-")) {
                headers.add(header);
            }
        }
        return new ConsumerRecord<>(
                described.sourceTopic(),
                described.sourcePartition().orElse(letter.partition()),
                described.sourceOffset().orElse(letter.offset()),
                letter.timestamp(),
                TimestampType.CREATE_TIME,
                ConsumerRecord.NULL_SIZE,
                ConsumerRecord.NULL_SIZE,
                letter.key(),
                letter.value(),
                headers,
                Optional.empty());
    }

    private DeadLetter describe(ConsumerRecord<String, byte[]> letter) {
        boolean redriven = QuarkusTransaction.requiringNew().call(() -> !entityManager
                .get()
                .createNativeQuery("select 1 from processed_event where consumer = ?1 and event_id = ?2")
                .setParameter(1, markConsumer())
                .setParameter(2, letter.partition() + "@" + letter.offset())
                .getResultList()
                .isEmpty());
        return new DeadLetter(
                letter.partition(),
                letter.offset(),
                letter.key(),
                header(letter, DeadLetterTopic.SOURCE_TOPIC).orElse(""),
                header(letter, DeadLetterTopic.SOURCE_PARTITION).flatMap(DeadLetterRedrive::integer),
                header(letter, DeadLetterTopic.SOURCE_OFFSET).flatMap(DeadLetterRedrive::longValue),
                header(letter, "ce_type").orElse(""),
                header(letter, DeadLetterTopic.REASON).orElse(""),
                header(letter, DeadLetterTopic.CAUSE).orElse(""),
                header(letter, DeadLetterTopic.EXCEPTION).orElse(""),
                redriven);
    }

    private String markConsumer() {
        return topic.topic() + ".redrive";
    }

    /** Reads the topic from its beginning up to its end as it is now, without a consumer group. */
    private void readAll(Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        topic.topic() + "-reader-" + UUID.randomUUID(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        // a service without consumers has no dead-letter topic; reading must not create one
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(topic.topic(), Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                    .toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(reader.endOffsets(partitions));
            ends.entrySet().removeIf(end -> reader.position(end.getKey()) >= end.getValue());
            while (!ends.isEmpty()) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long end = ends.get(partition);
                    if (end != null && record.offset() < end) {
                        each.accept(record);
                    }
                }
                ends.entrySet().removeIf(end -> reader.position(end.getKey()) >= end.getValue());
            }
        }
    }

    private static Optional<String> header(ConsumerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static Optional<Integer> integer(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> longValue(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
