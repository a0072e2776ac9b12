package dev.bulwark.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentileCurveTest {

    private static List<Long> oneTo(int n) {
        List<Long> values = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            values.add(i);
        }
        return values;
    }

    @Test
    void theNinesAxisPutsNinetyAtOneAndNinetyNineAtTwo() {
        assertThat(PercentileCurve.nines(0)).isEqualTo(0.0);
        assertThat(PercentileCurve.nines(90)).isCloseTo(1.0, within(1e-9));
        assertThat(PercentileCurve.nines(99)).isCloseTo(2.0, within(1e-9));
        assertThat(PercentileCurve.nines(99.9)).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void pointsAreNearestRankValuesUpToWhatTheSampleSizeSupports() {
        List<PercentileCurve.Point> curve = PercentileCurve.of(oneTo(1000));
        assertThat(curve.get(0)).isEqualTo(new PercentileCurve.Point(0, 0, 1));
        assertThat(curve).anySatisfy(p -> {
            assertThat(p.percentile()).isEqualTo(50);
            assertThat(p.latencyMillis()).isEqualTo(500);
        });
        assertThat(curve).anySatisfy(p -> {
            assertThat(p.percentile()).isEqualTo(99.9);
            assertThat(p.latencyMillis()).isEqualTo(999);
        });
        // 1,000 samples cannot tell 99.95 % from the maximum
        assertThat(curve.get(curve.size() - 1).percentile()).isEqualTo(99.9);
        assertThat(curve).isSortedAccordingTo((a, b) -> Long.compare(a.latencyMillis(), b.latencyMillis()));
    }

    @Test
    void fewSamplesGiveAShortCurveAndNoneGiveNone() {
        assertThat(PercentileCurve.of(oneTo(10)))
                .extracting(PercentileCurve.Point::percentile)
                .last()
                .isEqualTo(90.0);
        assertThat(PercentileCurve.of(List.of())).isEmpty();
    }
}
