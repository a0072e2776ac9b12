package dev.bulwark.compliance.watermark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.CloudEventHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ProcessedRecordsTest {

    private static final TopicPartition P0 = new TopicPartition("bulwark.devices.v1", 0);
    private static final TopicPartition P1 = new TopicPartition("bulwark.devices.v1", 1);
    private static final Instant T = Instant.parse("2026-12-04T12:00:00Z");

    private final ProcessedRecords processed = new ProcessedRecords();

    @Test
    void aBatchMovesEachOfItsPartitionsToAfterItsLastRecordAndItsNewestEventTime() {
        processed.processed(batch(
                record(P0, 7, Optional.of(T.plusSeconds(5))),
                record(P0, 8, Optional.of(T.plusSeconds(3))),
                record(P1, 2, Optional.of(T))));

        assertThat(processed.processedUpTo(P0)).hasValue(9);
        assertThat(processed.newestEventTime(P0)).contains(T.plusSeconds(5));
        assertThat(processed.processedUpTo(P1)).hasValue(3);
        assertThat(processed.partitions("bulwark.devices.v1")).containsExactly(0, 1);
    }

    @Test
    void progressNeverMovesBackWhenAnOlderBatchIsReportedLater() {
        processed.processed(batch(record(P0, 20, Optional.of(T.plusSeconds(60)))));
        // a replay through the consumer hands over records long processed
        processed.processed(batch(record(P0, 3, Optional.of(T))));

        assertThat(processed.processedUpTo(P0)).hasValue(21);
        assertThat(processed.newestEventTime(P0)).contains(T.plusSeconds(60));
    }

    @Test
    void aRecordWithoutAReadableEventTimeMovesTheOffsetButNotTheEventTime() {
        processed.processed(batch(record(P0, 0, Optional.of(T))));
        processed.processed(batch(record(P0, 1, Optional.empty())));

        assertThat(processed.processedUpTo(P0)).hasValue(2);
        assertThat(processed.newestEventTime(P0)).contains(T);
        assertThat(processed.newestEventTime(P1)).isEmpty();
        assertThat(processed.processedUpTo(P1)).isEmpty();
    }

    @SafeVarargs
    private static ConsumerRecords<String, byte[]> batch(ConsumerRecord<String, byte[]>... records) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            byPartition
                    .computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new ArrayList<>())
                    .add(record);
        }
        Map<TopicPartition, OffsetAndMetadata> next = new java.util.HashMap<>();
        return new ConsumerRecords<>(byPartition, next);
    }

    private static ConsumerRecord<String, byte[]> record(TopicPartition partition, long offset, Optional<Instant> at) {
        RecordHeaders headers = new RecordHeaders();
        at.ifPresent(time -> headers.add(CloudEventHeaders.TIME, time.toString().getBytes()));
        return new ConsumerRecord<>(
                partition.topic(),
                partition.partition(),
                offset,
                0L,
                TimestampType.CREATE_TIME,
                ConsumerRecord.NULL_SIZE,
                ConsumerRecord.NULL_SIZE,
                "key",
                new byte[0],
                headers,
                Optional.empty());
    }
}
