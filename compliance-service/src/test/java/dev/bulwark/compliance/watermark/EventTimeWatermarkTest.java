package dev.bulwark.compliance.watermark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EventTimeWatermarkTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration LATENESS = Duration.ofSeconds(30);

    @Test
    void theTopicHasComeAsFarAsItsSlowestPartition() {
        List<PartitionMark> partitions = List.of(
                caughtUpAt(0, NOW.minusSeconds(1)),
                processedUpTo(1, NOW.minusSeconds(600)),
                caughtUpAt(2, NOW.minusSeconds(2)));

        assertThat(EventTimeWatermark.horizon(partitions, LATENESS, NOW))
                .contains(NOW.minusSeconds(600).minus(LATENESS));
    }

    @Test
    void aPartitionNotSeenYetHoldsEveryDeadlineBack() {
        List<PartitionMark> partitions = List.of(caughtUpAt(0, NOW), PartitionMark.unseen(1), caughtUpAt(2, NOW));

        assertThat(EventTimeWatermark.horizon(partitions, LATENESS, NOW)).isEmpty();
    }

    @Test
    void aTopicWithNoPartitionKnownYetLetsNothingFire() {
        assertThat(EventTimeWatermark.horizon(List.of(), LATENESS, NOW)).isEmpty();
    }

    @Test
    void aCaughtUpPartitionIsAsFarAsTheMomentItWasCaughtUpLessTheAllowedLateness() {
        PartitionMark idle =
                new PartitionMark(0, Optional.of(NOW.minusSeconds(3600)), Optional.of(NOW.minusSeconds(5)));

        assertThat(idle.watermark(LATENESS)).contains(NOW.minusSeconds(35));
        assertThat(EventTimeWatermark.horizon(List.of(idle), LATENESS, NOW)).contains(NOW.minusSeconds(35));
    }

    @Test
    void aLaggingPartitionIsAsFarAsItsNewestEventProcessedLessTheAllowedLateness() {
        // caught up an hour ago, processing a backlog since: its newest processed event is the better knowledge
        PartitionMark lagging =
                new PartitionMark(0, Optional.of(NOW.minusSeconds(100)), Optional.of(NOW.minusSeconds(3600)));

        assertThat(lagging.watermark(LATENESS)).contains(NOW.minusSeconds(130));
    }

    @Test
    void theHorizonIsNeverLaterThanNowEvenWhenEventTimesRunAhead() {
        // device-registry's clock ahead of ours: a deadline still does not fire before its due time on our clock
        List<PartitionMark> partitions = List.of(processedUpTo(0, NOW.plusSeconds(120)));

        assertThat(EventTimeWatermark.horizon(partitions, LATENESS, NOW)).contains(NOW);
    }

    @Test
    void aPartitionIsCaughtUpWhenItsRecordsUpToTheLogEndAreProcessedHereOrCommittedByTheGroup() {
        assertThat(EventTimeWatermark.caughtUp(OptionalLong.of(42), OptionalLong.of(10), 42))
                .as("processed here up to the log end")
                .isTrue();
        assertThat(EventTimeWatermark.caughtUp(OptionalLong.empty(), OptionalLong.of(42), 42))
                .as("another replica committed up to the log end")
                .isTrue();
        assertThat(EventTimeWatermark.caughtUp(OptionalLong.of(41), OptionalLong.of(40), 42))
                .as("one record left to read")
                .isFalse();
        assertThat(EventTimeWatermark.caughtUp(OptionalLong.empty(), OptionalLong.empty(), 5))
                .as("nothing processed, nothing committed, records there")
                .isFalse();
        assertThat(EventTimeWatermark.caughtUp(OptionalLong.empty(), OptionalLong.empty(), 0))
                .as("an empty partition")
                .isTrue();
    }

    private static PartitionMark caughtUpAt(int partition, Instant at) {
        return new PartitionMark(partition, Optional.empty(), Optional.of(at));
    }

    private static PartitionMark processedUpTo(int partition, Instant newestEventTime) {
        return new PartitionMark(partition, Optional.of(newestEventTime), Optional.empty());
    }
}
