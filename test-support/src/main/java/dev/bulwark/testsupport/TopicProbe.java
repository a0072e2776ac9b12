package dev.bulwark.testsupport;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.UnknownEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads one topic (or several) of the real broker as an outside consumer would, decoding every record with the contract's codec.
 * {@link #open} starts at the topic's current end, so a test sees only what happens after it opened the probe.
 */
public final class TopicProbe implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final List<ReceivedEvent> received = new ArrayList<>();

    private TopicProbe(String bootstrap, String topic, boolean fromBeginning) {
        this(bootstrap, List.of(topic), fromBeginning);
    }

    private TopicProbe(String bootstrap, List<String> topics, boolean fromBeginning) {
        this.topic = String.join(", ", topics);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String name : topics) {
            List<TopicPartition> ofTopic = consumer.partitionsFor(name, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(name, p.partition()))
                    .toList();
            if (ofTopic.isEmpty()) {
                consumer.close();
                throw new IllegalStateException("topic " + name + " does not exist");
            }
            partitions.addAll(ofTopic);
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        // Resolve the positions now, so that what is published after this constructor returns is seen.
        partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
    }

    /** A probe that sees what is published to {@code topic} from now on. */
    public static TopicProbe open(String bootstrap, String topic) {
        return new TopicProbe(bootstrap, topic, false);
    }

    /** A probe that sees what is published to any of {@code topics} from now on. */
    public static TopicProbe open(String bootstrap, List<String> topics) {
        return new TopicProbe(bootstrap, topics, false);
    }

    /** A probe that sees everything {@code topic} holds. */
    public static TopicProbe fromBeginning(String bootstrap, String topic) {
        return new TopicProbe(bootstrap, topic, true);
    }

    /** Waits for the first event of {@code type} that matches, and returns it; fails after {@code timeout}. */
    public <T extends SpecificRecord> T await(Class<T> type, Predicate<T> match, Duration timeout) {
        return awaitReceived(type, match, timeout).event(type);
    }

    /** As {@link #await}, with the record's key and headers. */
    public <T extends SpecificRecord> ReceivedEvent awaitReceived(Class<T> type, Predicate<T> match, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Optional<ReceivedEvent> found = find(type, match);
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("No " + type.getSimpleName() + " matching on " + topic + " within " + timeout
                        + "; received " + summary());
            }
            pollOnce();
        }
    }

    /** Fails if an event of {@code type} that matches arrives within {@code quiet} (or has arrived already). */
    public <T extends SpecificRecord> void assertNone(Class<T> type, Predicate<T> match, Duration quiet) {
        Instant deadline = Instant.now().plus(quiet);
        do {
            pollOnce();
            Optional<ReceivedEvent> found = find(type, match);
            if (found.isPresent()) {
                throw new AssertionError("Unexpected " + type.getSimpleName() + " on " + topic + ": "
                        + found.get().event());
            }
        } while (Instant.now().isBefore(deadline));
    }

    /** Every event received so far, after one more poll. */
    public List<ReceivedEvent> all() {
        pollOnce();
        return List.copyOf(received);
    }

    private <T extends SpecificRecord> Optional<ReceivedEvent> find(Class<T> type, Predicate<T> match) {
        return received.stream()
                .filter(r -> type.isInstance(r.event()))
                .filter(r -> match.test(type.cast(r.event())))
                .findFirst();
    }

    private void pollOnce() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            try {
                SpecificRecord event = EventCodec.decode(record.value());
                received.add(new ReceivedEvent(
                        record.key(), event, CloudEventHeaders.fromKafka(record.headers()), record.partition()));
            } catch (UnknownEventException e) {
                // not an event of the contract (another producer's record on the topic): not this probe's business
            }
        }
    }

    private String summary() {
        return received.stream()
                .map(r -> r.event().getClass().getSimpleName() + "[" + r.key() + "]")
                .toList()
                .toString();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** One decoded record: its key, the event, its headers as text and the partition it was on. */
    public record ReceivedEvent(String key, SpecificRecord event, Map<String, String> headers, int partition) {
        public <T extends SpecificRecord> T event(Class<T> type) {
            return type.cast(event);
        }
    }
}
