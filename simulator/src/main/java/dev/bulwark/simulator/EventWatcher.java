package dev.bulwark.simulator;

import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the topics a device fleet's backend would hand to the fleet (sign-outs, managed and unmanaged commands) and the
 * compliance topic, as an outside consumer does: a plain KafkaConsumer, no group (every partition assigned, from the
 * end at start), values decoded with the published schemas only. Events of other tenants are ignored.
 */
final class EventWatcher implements AutoCloseable {

    static final List<String> TOPICS =
            List.of(Topics.SIGNOUT, Topics.MDM_COMMANDS, Topics.MAM_COMMANDS, Topics.COMPLIANCE);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> tenants;
    private final Consumer<SpecificRecord> handler;
    private final RunStats stats;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    EventWatcher(String bootstrap, Set<String> tenants, RunStats stats, Consumer<SpecificRecord> handler) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bulwark-simulator");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.tenants = tenants;
        this.handler = handler;
        this.stats = stats;
        this.thread = new Thread(this::run, "simulator-events");
        this.thread.setDaemon(true);
    }

    /** Starts reading and returns once every partition is positioned at its end, so nothing later is missed. */
    void start() throws InterruptedException {
        thread.start();
        if (!positioned.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("Kafka did not answer within 60 s");
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : TOPICS) {
                consumer.partitionsFor(topic, Duration.ofSeconds(60))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        SpecificRecord event;
        try {
            event = EventCodec.decode(record.value());
        } catch (RuntimeException e) {
            stats.event("undecodable");
            return;
        }
        Object tenant = ((GenericRecord) event).get("tenantId");
        if (tenant == null || !tenants.contains(tenant.toString())) {
            return;
        }
        stats.event(event.getSchema().getName());
        handler.accept(event);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
