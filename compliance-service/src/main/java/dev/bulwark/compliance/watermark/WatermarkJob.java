package dev.bulwark.compliance.watermark;

import dev.bulwark.compliance.projection.DeviceEventsConsumer;
import dev.bulwark.contract.Topics;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Every {@code bulwark.compliance.watermark.poll-interval}, moves this replica's knowledge of
 * {@code bulwark.devices.v1} into {@code event_time_watermark}: for every partition of the topic, the newest event time
 * processed here, and — when the partition has nothing left to read — the moment that was established. "Nothing left to
 * read" is asked of the broker: the moment is taken, then the log end offsets and the group's committed offsets are
 * read with the channel's own Kafka consumer (on its polling thread, as the client requires); a partition whose records
 * up to the log end are processed (here, or by the replica that committed them) was caught up at that moment, so every
 * record appended later was appended after it. The job asks about every partition, not only this replica's: a replica
 * that owns none still confirms the others through their committed offsets. If the broker does not answer, only the
 * event times are stored and the watermark waits.
 */
@ApplicationScoped
public class WatermarkJob {

    private static final Logger LOG = Logger.getLogger(WatermarkJob.class);
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClientService kafka;
    private final ProcessedRecords processed;
    private final Watermarks watermarks;
    private final Clock clock;
    /** Rounds in a row the broker did not answer (the job never runs concurrently with itself). */
    private int unansweredRounds;

    WatermarkJob(KafkaClientService kafka, ProcessedRecords processed, Watermarks watermarks, Clock clock) {
        this.kafka = kafka;
        this.processed = processed;
        this.watermarks = watermarks;
        this.clock = clock;
    }

    /** The log end and committed offset of each partition of the topic, read at one moment. */
    record LogPositions(Map<TopicPartition, Long> logEnds, Map<TopicPartition, OffsetAndMetadata> committed) {}

    @Scheduled(
            identity = "event-time-watermark",
            every = "${bulwark.compliance.watermark.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void advance() {
        // taken before the broker is asked: caught up "at" an earlier moment is the safe side
        Instant asked = clock.instant();
        Optional<LogPositions> positions = logPositions(Topics.DEVICES);
        watermarks.advance(Topics.DEVICES, marks(Topics.DEVICES, positions, asked));
    }

    private List<PartitionMark> marks(String topic, Optional<LogPositions> positions, Instant asked) {
        List<PartitionMark> marks = new ArrayList<>();
        if (positions.isEmpty()) {
            for (int partition : processed.partitions(topic)) {
                TopicPartition tp = new TopicPartition(topic, partition);
                marks.add(new PartitionMark(partition, processed.newestEventTime(tp), Optional.empty()));
            }
            return marks;
        }
        positions.get().logEnds().forEach((tp, logEnd) -> {
            OffsetAndMetadata committed = positions.get().committed().get(tp);
            boolean caughtUp = EventTimeWatermark.caughtUp(
                    processed.processedUpTo(tp),
                    committed == null ? OptionalLong.empty() : OptionalLong.of(committed.offset()),
                    logEnd);
            marks.add(new PartitionMark(
                    tp.partition(), processed.newestEventTime(tp), caughtUp ? Optional.of(asked) : Optional.empty()));
        });
        return marks;
    }

    private Optional<LogPositions> logPositions(String topic) {
        List<KafkaConsumer<Object, Object>> consumers = consumers(DeviceEventsConsumer.CHANNEL);
        if (consumers.isEmpty()) {
            LOG.debugf(
                    "No Kafka consumer on channel %s yet: the watermark of %s waits",
                    DeviceEventsConsumer.CHANNEL, topic);
            return Optional.empty();
        }
        try {
            Function<Consumer<Object, Object>, LogPositions> reading = consumer -> read(consumer, topic);
            LogPositions read =
                    consumers.get(0).runOnPollingThread(reading).await().atMost(BROKER_TIMEOUT);
            unansweredRounds = 0;
            return Optional.of(read);
        } catch (RuntimeException unanswered) {
            // once when it starts, then every 60th round: a broker away for long must not flood the log
            if (unansweredRounds++ % 60 == 0) {
                LOG.warnf("Could not read the log end offsets of %s (%s): its watermark waits", topic, unanswered);
            }
            return Optional.empty();
        }
    }

    /**
     * The channel's Kafka consumers: those of the channel itself and of its copies ({@code devices$1}, {@code devices$2},
     * ... when the channel has a {@code concurrency}), which SmallRye registers under the copies' names.
     */
    private List<KafkaConsumer<Object, Object>> consumers(String channel) {
        return kafka.getConsumerChannels().stream()
                .filter(name -> name.equals(channel) || name.startsWith(channel + "$"))
                .sorted()
                .flatMap(name -> {
                    List<KafkaConsumer<Object, Object>> of = kafka.getConsumers(name);
                    return of == null ? Stream.empty() : of.stream();
                })
                .toList();
    }

    private static LogPositions read(Consumer<Object, Object> consumer, String topic) {
        Set<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .collect(Collectors.toSet());
        Map<TopicPartition, Long> logEnds = consumer.endOffsets(partitions, BROKER_TIMEOUT);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, BROKER_TIMEOUT);
        return new LogPositions(logEnds, committed);
    }
}
