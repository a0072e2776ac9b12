package dev.bulwark.compliance.watermark;

import dev.bulwark.contract.CloudEventHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * This replica's progress through the partitions it consumes, in memory: per partition, the offset after the last
 * record processed and the newest event time among them. The consumer hands each batch over once it has committed (or
 * dead-lettered) every record of it, so nothing here is ahead of the database; {@link WatermarkJob} stores it. Values
 * only move forward, whatever order batches are reported in (a replay through the consumer reports old offsets).
 *
 * <p>The event time of a record is its {@code ce_time} header, which carries the event's {@code occurredAt}; a record
 * without a readable one moves the offset only, which can hold the watermark back but never push it too far.
 */
@ApplicationScoped
public class ProcessedRecords {

    private final ConcurrentMap<TopicPartition, Progress> progress = new ConcurrentHashMap<>();

    /** How far one partition has been processed here. */
    record Progress(long nextOffset, Optional<Instant> newestEventTime) {

        Progress merge(Progress other) {
            Optional<Instant> newest = newestEventTime.isEmpty()
                    ? other.newestEventTime
                    : other.newestEventTime
                            .filter(at -> at.isAfter(newestEventTime.get()))
                            .or(() -> newestEventTime);
            return new Progress(Math.max(nextOffset, other.nextOffset), newest);
        }
    }

    /** A batch whose records were all applied (or dead-lettered) and committed. */
    public void processed(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            if (inPartition.isEmpty()) {
                continue;
            }
            Optional<Instant> newest = Optional.empty();
            for (ConsumerRecord<String, byte[]> record : inPartition) {
                Optional<Instant> at = eventTime(record);
                if (at.isPresent() && (newest.isEmpty() || at.get().isAfter(newest.get()))) {
                    newest = at;
                }
            }
            Progress done = new Progress(inPartition.get(inPartition.size() - 1).offset() + 1, newest);
            progress.merge(partition, done, Progress::merge);
        }
    }

    /** The partitions of {@code topic} this replica has processed records of. */
    List<Integer> partitions(String topic) {
        return progress.keySet().stream()
                .filter(tp -> tp.topic().equals(topic))
                .map(TopicPartition::partition)
                .sorted()
                .toList();
    }

    /** The offset after the last record of the partition processed here; empty when none was. */
    OptionalLong processedUpTo(TopicPartition partition) {
        Progress known = progress.get(partition);
        return known == null ? OptionalLong.empty() : OptionalLong.of(known.nextOffset());
    }

    /** The newest event time processed here in the partition. */
    Optional<Instant> newestEventTime(TopicPartition partition) {
        Progress known = progress.get(partition);
        return known == null ? Optional.empty() : known.newestEventTime();
    }

    private static Optional<Instant> eventTime(ConsumerRecord<String, byte[]> record) {
        try {
            return CloudEventHeaders.value(record.headers(), CloudEventHeaders.TIME)
                    .map(Instant::parse);
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }
}
