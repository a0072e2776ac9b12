package dev.bulwark.simulator.bench;

import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code bulwark.signout.v1}, {@code bulwark.compliance.v1} and {@code bulwark.devices.v1} (the reports as
 * published: their record times split the latency into hops, their occurredAt judges the storm's fixes) as an identity
 * provider would: a plain consumer
 * without a group, every partition from its end at start, values decoded with the published schemas only. Hands each
 * event's type, tenant and subject to a listener with the moment it was received ({@link System#nanoTime()}).
 */
final class OutsideConsumer implements AutoCloseable {

    /** Told of every event received (its schema name, tenant and subject, the event, when it was received). */
    interface Listener {
        void received(
                String type,
                String tenantId,
                String subjectId,
                GenericRecord event,
                long receivedNanos,
                long recordMillis);
    }

    private static final List<String> TOPICS = List.of(Topics.SIGNOUT, Topics.COMPLIANCE, Topics.DEVICES);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Listener listener;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    OutsideConsumer(String bootstrap, Listener listener) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bulwark-bench-outside");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.listener = listener;
        this.thread = new Thread(this::run, "bench-outside-consumer");
        this.thread.setDaemon(true);
    }

    /** Returns once every partition is positioned at its end, so nothing published later is missed. */
    void start() throws InterruptedException {
        thread.start();
        if (!positioned.await(60, TimeUnit.SECONDS)) {
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
                var records = consumer.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<String, byte[]> record : records) {
                    handle(record, now);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, long receivedNanos) {
        SpecificRecord event;
        try {
            event = EventCodec.decode(record.value());
        } catch (RuntimeException e) {
            return;
        }
        GenericRecord generic = (GenericRecord) event;
        Object tenant = generic.get("tenantId");
        Object subject = event.getSchema().getField("subjectId") == null ? null : generic.get("subjectId");
        if (tenant != null && subject != null) {
            listener.received(
                    event.getSchema().getName(),
                    tenant.toString(),
                    subject.toString(),
                    generic,
                    receivedNanos,
                    record.timestamp());
        }
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
