package dev.bulwark.compliance.watermark;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rules of the event-time watermark of a topic, in plain Java. A deadline is judged in event time: it may fire only
 * once everything reported up to it has been processed, so that a fix reported before it counts however late a backlog
 * lets us process it. Each partition knows how far it has come ({@link PartitionMark#watermark}); the topic has come as
 * far as its slowest partition, and not at all while one of its partitions is unknown. A subject's events all travel in
 * one partition, but which one is the producer's choice (device-registry's partitioner); the minimum over all
 * partitions needs no such knowledge and stays right when partitions are added, at the price that one lagging
 * partition holds back every deadline — load delays a sign-out, never causes a wrong one.
 */
public final class EventTimeWatermark {

    private EventTimeWatermark() {}

    /**
     * The latest due time that may fire now: the minimum of the partitions' watermarks, but never later than
     * {@code now} (a deadline does not fire before its due time on this service's clock either). Empty when no
     * partition is known yet or any partition has not been seen: nothing may fire.
     */
    public static Optional<Instant> horizon(
            Collection<PartitionMark> partitions, Duration allowedLateness, Instant now) {
        if (partitions.isEmpty()) {
            return Optional.empty();
        }
        Instant slowest = now;
        for (PartitionMark partition : partitions) {
            Optional<Instant> watermark = partition.watermark(allowedLateness);
            if (watermark.isEmpty()) {
                return Optional.empty();
            }
            if (watermark.get().isBefore(slowest)) {
                slowest = watermark.get();
            }
        }
        return Optional.of(slowest);
    }

    /**
     * Whether a partition has nothing left to read: the offset up to which its records are known to be processed —
     * by this replica ({@code processedUpTo}, the offset after the last record whose batch committed) or by any member
     * of the group ({@code committed}, which is only committed after processing) — has reached the log end read from
     * the broker. An empty partition ({@code logEnd} 0) is caught up from the start.
     */
    public static boolean caughtUp(OptionalLong processedUpTo, OptionalLong committed, long logEnd) {
        long processed = Math.max(processedUpTo.orElse(0L), committed.orElse(0L));
        return processed >= logEnd;
    }
}
