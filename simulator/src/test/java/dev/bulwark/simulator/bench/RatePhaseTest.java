package dev.bulwark.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RatePhaseTest {

    @Test
    void everyTenthReportIsNonCompliantAtATenPercentShare() {
        assertThat(IntStream.range(0, 30).filter(i -> RatePhase.crosses(i, 0.1)))
                .containsExactly(9, 19, 29);
    }

    @Test
    void halfAlternatesAndTheExtremesAreAllOrNothing() {
        assertThat(IntStream.range(0, 6).filter(i -> RatePhase.crosses(i, 0.5))).containsExactly(1, 3, 5);
        assertThat(IntStream.range(0, 100).filter(i -> RatePhase.crosses(i, 1.0)))
                .hasSize(100);
        assertThat(IntStream.range(0, 100).filter(i -> RatePhase.crosses(i, 0))).isEmpty();
    }
}
