package dev.bulwark.simulator.bench;

import dev.bulwark.contract.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka anchor: what the same broker does for a chain with Bulwark's two hops and nothing else. A producer writes
 * check-in-sized records to a topic with {@code bulwark.devices.v1}'s partition count at the offered rate; a
 * consume-transform-produce stage (a consumer group, committing after each poll, as a service's consumer does) writes
 * a sign-out-sized record per input to a topic with {@code bulwark.signout.v1}'s partition count; an outside consumer
 * reads it. Latency = producer send → outside consumer received. The topics are the run's own and are deleted after.
 */
final class KafkaChainAnchor {

    /** What the chain did: samples as {offset of the send from the start ms, latency ms}. */
    record Result(int rate, int sent, int received, int inputBytes, int outputBytes, List<long[]> samples) {}

    private final String bootstrap;
    private final String runId;

    KafkaChainAnchor(String bootstrap, String runId) {
        this.bootstrap = bootstrap;
        this.runId = runId;
    }

    Result run(int rate, Duration length, int inputBytes, int outputBytes) throws Exception {
        String in = "bench.anchor-in." + runId + "." + rate;
        String out = "bench.anchor-out." + runId + "." + rate;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(Topics.DEVICES, Topics.SIGNOUT))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(
                            new NewTopic(
                                    in,
                                    described.get(Topics.DEVICES).partitions().size(),
                                    (short) 1),
                            new NewTopic(
                                    out,
                                    described.get(Topics.SIGNOUT).partitions().size(),
                                    (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            try {
                return chain(in, out, rate, length, inputBytes, outputBytes);
            } finally {
                admin.deleteTopics(List.of(in, out)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private Result chain(String in, String out, int rate, Duration length, int inputBytes, int outputBytes)
            throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<long[]> samples = new ArrayList<>();
        AtomicInteger received = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(2);
        long start = System.nanoTime();
        Thread transform = new Thread(() -> transform(in, out, outputBytes, running, ready), "bench-anchor-transform");
        Thread outside = new Thread(
                () -> {
                    try (KafkaConsumer<String, byte[]> consumer = consumer(null)) {
                        List<TopicPartition> parts = consumer.partitionsFor(out).stream()
                                .map(p -> new TopicPartition(out, p.partition()))
                                .toList();
                        consumer.assign(parts);
                        consumer.seekToBeginning(parts);
                        parts.forEach(consumer::position);
                        ready.countDown();
                        while (running.get()) {
                            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                            long now = System.nanoTime();
                            for (ConsumerRecord<String, byte[]> r : records) {
                                long sentAt = ByteBuffer.wrap(r.value()).getLong();
                                if (sentAt == 0) {
                                    continue; // a priming record
                                }
                                synchronized (samples) {
                                    samples.add(new long[] {(sentAt - start) / 1_000_000, (now - sentAt) / 1_000_000});
                                }
                                received.incrementAndGet();
                            }
                        }
                    }
                },
                "bench-anchor-outside");
        transform.start();
        outside.start();
        ready.await(60, TimeUnit.SECONDS);
        int offered = (int) Math.round(rate * length.toMillis() / 1000.0);
        long period = 1_000_000_000L / rate;
        int sent = 0;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // The new topic's partition leaders may still be settling: one acknowledged record per partition first
            // (send time 0, not counted), so that the timed records meet no leader change and no retry.
            for (PartitionInfo partition : producer.partitionsFor(in)) {
                producer.send(new ProducerRecord<>(in, partition.partition(), "prime", new byte[inputBytes]))
                        .get(60, TimeUnit.SECONDS);
            }
            long begin = System.nanoTime();
            for (int i = 0; i < offered; i++) {
                long due = begin + i * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                byte[] value = new byte[inputBytes];
                ByteBuffer.wrap(value).putLong(due);
                producer.send(new ProducerRecord<>(in, "subject-" + (i % 5000), value));
                sent++;
            }
            producer.flush();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received.get() < sent && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        running.set(false);
        transform.join(10_000);
        outside.join(10_000);
        synchronized (samples) {
            return new Result(rate, sent, received.get(), inputBytes, outputBytes, List.copyOf(samples));
        }
    }

    /** Hop 2: read the input, write one output per record keeping its send time, commit after each poll. */
    private void transform(String in, String out, int outputBytes, AtomicBoolean running, CountDownLatch ready) {
        try (KafkaConsumer<String, byte[]> consumer = consumer("bench-anchor-" + runId + "-" + in);
                KafkaProducer<String, byte[]> producer = producer()) {
            consumer.subscribe(List.of(in), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
                private boolean told;

                @Override
                public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                    if (!told) {
                        told = true;
                        ready.countDown();
                    }
                }
            });
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    byte[] value = new byte[outputBytes];
                    System.arraycopy(r.value(), 0, value, 0, Long.BYTES);
                    producer.send(new ProducerRecord<>(out, r.key(), value));
                }
                producer.flush();
                Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<String, byte[]>> part = records.records(tp);
                    offsets.put(
                            tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
                }
                consumer.commitSync(offsets);
            }
        }
    }

    /** The mean value size of the last records on {@code topic} (up to 20 per partition), or {@code fallback}. */
    int meanRecordSize(String topic, int fallback) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(null)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            long wanted = 0;
            for (TopicPartition tp : parts) {
                long from = Math.max(0, ends.get(tp) - 20);
                consumer.seek(tp, from);
                wanted += ends.get(tp) - from;
            }
            long bytes = 0;
            long count = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count < wanted && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    bytes += r.value().length;
                    count++;
                }
            }
            return count == 0 ? fallback : (int) (bytes / count);
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
