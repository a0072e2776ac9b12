package dev.bulwark.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyTimelineTest {

    @Test
    void samplesFallIntoTheBucketOfTheirSendTime() {
        LatencyTimeline t = new LatencyTimeline(1000);
        for (int i = 1; i <= 100; i++) {
            t.add(10 * i - 1, i); // sent 9 ms … 999 ms: all in second 0, latencies 1 … 100
        }
        t.add(1000, 500);
        t.add(2999, 7);
        assertThat(t.buckets())
                .containsExactly(
                        new LatencyTimeline.Bucket(0, 100, 50, 99),
                        new LatencyTimeline.Bucket(1000, 1, 500, 500),
                        new LatencyTimeline.Bucket(2000, 1, 7, 7));
    }

    @Test
    void aSampleBeforeThePhaseCountsInTheFirstBucket() {
        LatencyTimeline t = new LatencyTimeline(1000);
        t.add(-5, 3);
        assertThat(t.buckets()).containsExactly(new LatencyTimeline.Bucket(0, 1, 3, 3));
    }

    @Test
    void anEmptyTimelineHasNoBucketsAndTheWidthMustBePositive() {
        assertThat(new LatencyTimeline(1000).buckets()).isEmpty();
        assertThatThrownBy(() -> new LatencyTimeline(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
