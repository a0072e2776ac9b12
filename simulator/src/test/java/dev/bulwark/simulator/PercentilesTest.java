package dev.bulwark.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOnOneToHundred() {
        List<Long> samples = new ArrayList<>();
        for (long i = 100; i >= 1; i--) {
            samples.add(i);
        }
        Collections.shuffle(samples, new java.util.Random(1));

        Percentiles p = Percentiles.of(samples);

        assertThat(p).isEqualTo(new Percentiles(100, 50, 90, 99, 100));
    }

    @Test
    void fewSamplesReportRealValues() {
        Percentiles p = Percentiles.of(List.of(30L, 10L, 20L));

        assertThat(p.p50()).isEqualTo(20);
        assertThat(p.p90()).isEqualTo(30);
        assertThat(p.p99()).isEqualTo(30);
        assertThat(p.max()).isEqualTo(30);
    }

    @Test
    void oneSampleIsEveryPercentile() {
        assertThat(Percentiles.of(List.of(7L))).isEqualTo(new Percentiles(1, 7, 7, 7, 7));
    }

    @Test
    void noSamplesIsEmpty() {
        assertThat(Percentiles.of(List.of())).isEqualTo(Percentiles.EMPTY);
        assertThat(Percentiles.EMPTY).hasToString("no samples");
    }

    @Test
    void histogramPutsOutliersInTheLastBucket() {
        int[] counts = Percentiles.histogram(List.of(0L, 9L, 10L, 25L, 1000L), 10, 3);

        assertThat(counts).containsExactly(2, 1, 2);
    }
}
