package dev.bulwark.compliance.watermark;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known of one partition's progress in event time: the newest event time among its records processed so far,
 * and the last time it was found caught up (every record appended before that moment processed). Both empty = a
 * partition not seen yet, which knows nothing and so holds every deadline back.
 */
public record PartitionMark(int partition, Optional<Instant> newestEventTime, Optional<Instant> caughtUpAt) {

    public PartitionMark {
        Objects.requireNonNull(newestEventTime, "newestEventTime");
        Objects.requireNonNull(caughtUpAt, "caughtUpAt");
        if (partition < 0) {
            throw new IllegalArgumentException("a partition is never negative, was " + partition);
        }
    }

    /** A partition known to exist and not seen yet. */
    public static PartitionMark unseen(int partition) {
        return new PartitionMark(partition, Optional.empty(), Optional.empty());
    }

    /**
     * This partition's watermark: every record it will still deliver is reported after it. The later of the newest
     * event time processed and the moment it was last caught up, less the allowed lateness (records reach a partition
     * up to that much later, and that much out of event-time order: device-registry's outbox relay); empty while
     * neither is known.
     */
    public Optional<Instant> watermark(Duration allowedLateness) {
        Optional<Instant> progress = newestEventTime.isEmpty()
                ? caughtUpAt
                : caughtUpAt.filter(at -> at.isAfter(newestEventTime.get())).or(() -> newestEventTime);
        return progress.map(at -> at.minus(allowedLateness));
    }
}
