package dev.bulwark.deploy;

import dev.bulwark.contract.EventCodec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints what a topic carries, one line per record: key, CloudEvents type and the decoded event as JSON. A newcomer's
 * window onto the events; it reads like any outside consumer, with a group of its own that commits nothing.
 */
public final class EventDump implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final CountDownLatch finished = new CountDownLatch(1);

    private EventDump(String bootstrapServers, String topic, boolean fromBeginning) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bulwark-event-dump-" + UUID.randomUUID());
        // A fresh group has no committed offsets, so this alone decides where reading starts.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
    }

    /** A dump of {@code topic} from its first record, or from now on. Nothing is read until {@link #run}. */
    public static EventDump open(String bootstrapServers, String topic, boolean fromBeginning) {
        return new EventDump(bootstrapServers, topic, fromBeginning);
    }

    /** Reads {@code topic} from its beginning until it has been quiet for {@code idle}, printing each record. */
    public static int dump(String bootstrapServers, String topic, Duration idle, PrintStream out) {
        try (EventDump dump = open(bootstrapServers, topic, true)) {
            return dump.run(out, Optional.of(idle));
        }
    }

    /**
     * Prints records as they arrive until {@link #stop()} is called or, if {@code maxIdle} is given, until the topic
     * has been quiet that long; returns how many it printed.
     */
    public int run(PrintStream out, Optional<Duration> maxIdle) {
        int count = 0;
        try {
            Instant quietSince = Instant.now();
            while (maxIdle.isEmpty()
                    || Duration.between(quietSince, Instant.now()).compareTo(maxIdle.get()) < 0) {
                var records = consumer.poll(Duration.ofMillis(250));
                if (!records.isEmpty()) {
                    quietSince = Instant.now();
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    out.println(describe(record));
                    count++;
                }
                out.flush();
            }
        } catch (WakeupException stopped) {
            // stop() was called: end quietly.
        } finally {
            finished.countDown();
        }
        return count;
    }

    /** Ends a running {@link #run} from another thread (e.g. a Ctrl-C hook) and waits a moment for it to return. */
    public void stop() {
        consumer.wakeup();
        try {
            finished.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    static String describe(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader("ce_type");
        String typeName = type == null ? "?" : new String(type.value(), StandardCharsets.UTF_8);
        String body;
        try {
            SpecificRecord event = EventCodec.decode(record.value());
            body = event.toString();
        } catch (RuntimeException e) {
            body = "<undecodable: " + e.getMessage() + ">";
        }
        return record.topic() + "[" + record.partition() + "@" + record.offset() + "] key=" + record.key() + " "
                + typeName + " " + body;
    }
}
