package dev.bulwark.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignOutWaitsTest {

    private static final long MS = 1_000_000;

    @Test
    void aSampleSplitsReportToSignOutIntoTheFrontDoorTheRelayTheEvaluationAndTheDelivery() {
        SignOutWaits waits = new SignOutWaits();
        long sent = System.nanoTime();
        long wallAtSent = System.currentTimeMillis();
        waits.expect("d-1", sent);
        waits.answered("d-1", sent + 40 * MS);
        waits.reportPublished("d-1", wallAtSent + 40 + 15);
        waits.signedOut("d-1", sent + 300 * MS, wallAtSent + 40 + 15 + 200);

        List<SignOutWaits.Sample> samples = waits.drain();

        assertThat(samples).singleElement().satisfies(sample -> {
            assertThat(sample.latencyMillis()).isEqualTo(300);
            assertThat(sample.answerMillis()).isEqualTo(40);
            // the two clocks are read a moment apart: allow a few milliseconds either way
            assertThat(sample.relayMillis()).isBetween(10L, 20L);
            assertThat(sample.evaluationMillis()).isEqualTo(200);
            assertThat(sample.deliveryMillis()).isBetween(40L, 50L);
        });
    }

    @Test
    void aHopThatWasNotSeenIsUnknownRatherThanZero() {
        SignOutWaits waits = new SignOutWaits();
        long sent = System.nanoTime();
        waits.expect("d-2", sent);
        waits.signedOut("d-2", sent + 100 * MS, System.currentTimeMillis());

        assertThat(waits.drain()).singleElement().satisfies(sample -> {
            assertThat(sample.answerMillis()).isEqualTo(SignOutWaits.UNKNOWN);
            assertThat(sample.relayMillis()).isEqualTo(SignOutWaits.UNKNOWN);
            assertThat(sample.evaluationMillis()).isEqualTo(SignOutWaits.UNKNOWN);
        });
        assertThat(BenchRun.column(List.of(new long[] {0, 100, -1, -1, -1, 3}), 2)
                        .count())
                .isZero();
    }
}
