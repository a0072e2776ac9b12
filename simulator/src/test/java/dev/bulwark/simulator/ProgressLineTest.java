package dev.bulwark.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void theBarIsClampedToItsWidthWhateverItIsGiven() {
        assertThat(ProgressLine.bar(5, 10, 10)).isEqualTo("[#####-----]  50%");
        assertThat(ProgressLine.bar(-3, 10, 10)).isEqualTo("[----------]   0%");
        assertThat(ProgressLine.bar(25, 10, 10)).isEqualTo("[##########] 100%");
        assertThat(ProgressLine.bar(0, 0, 4)).isEqualTo("[####] 100%");
    }
}
