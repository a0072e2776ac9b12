package dev.bulwark.deploy;

import dev.bulwark.contract.EventCodec;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints what a topic carries from its beginning, one line per record: key, CloudEvents type and the decoded event as
 * JSON. A newcomer's window onto the events; it reads like any outside consumer, with a group of its own.
 */
public final class EventDump {

    private EventDump() {}

    /** Reads {@code topic} until it has been quiet for {@code idle}, printing each record to {@code out}. */
    public static int dump(String bootstrapServers, String topic, Duration idle, PrintStream out) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bulwark-event-dump-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        int count = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            Instant quietSince = Instant.now();
            while (Duration.between(quietSince, Instant.now()).compareTo(idle) < 0) {
                var records = consumer.poll(Duration.ofMillis(250));
                if (!records.isEmpty()) {
                    quietSince = Instant.now();
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    out.println(describe(record));
                    count++;
                }
            }
        }
        return count;
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
