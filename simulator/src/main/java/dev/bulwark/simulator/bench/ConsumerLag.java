package dev.bulwark.simulator.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the stack's consumer groups are behind on the Bulwark topics (end offset minus committed offset, summed), so
 * that a phase starts on a settled stack and not in the backlog of the one before.
 */
final class ConsumerLag implements AutoCloseable {

    private final Admin admin;

    ConsumerLag(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(p);
    }

    /** Records not yet consumed by the groups on topics named bulwark.*, summed over every group. */
    long total() throws InterruptedException {
        try {
            Set<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(ConsumerGroupListing::groupId)
                    .filter(g -> !g.startsWith("bench-"))
                    .collect(Collectors.toSet());
            Map<GroupPartition, Long> committed = new HashMap<>();
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                offsets.forEach((tp, om) -> {
                    if (om != null
                            && tp.topic().startsWith("bulwark.")
                            && !tp.topic().endsWith(".dlq")) {
                        committed.put(new GroupPartition(group, tp), om.offset());
                    }
                });
            }
            return lag(committed);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return -1;
        }
    }

    private long lag(Map<GroupPartition, Long> committed)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        committed.keySet().forEach(k -> ask.put(k.partition(), OffsetSpec.latest()));
        if (ask.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<GroupPartition, Long> e : committed.entrySet()) {
            lag += Math.max(0, ends.get(e.getKey().partition()).offset() - e.getValue());
        }
        return lag;
    }

    /**
     * Waits until no group is behind (or {@code limit} passes); returns the lag it last saw. Polls twice a second: a
     * backlog is a condition of another process, there is nothing to wait on but its offsets.
     */
    long awaitSettled(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long lag;
        do {
            lag = total();
            if (lag == 0) {
                return 0;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return lag;
    }

    /** A consumer group's committed position on one partition. */
    private record GroupPartition(String group, TopicPartition partition) {}

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
