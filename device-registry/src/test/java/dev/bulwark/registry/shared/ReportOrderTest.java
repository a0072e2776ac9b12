package dev.bulwark.registry.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.kit.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportOrderTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(5);

    @Test
    void aReportWithoutATimeWasObservedWhenItArrived() {
        assertThat(ReportOrder.observedAt(Optional.empty(), NOW, SKEW)).isEqualTo(NOW);
    }

    @Test
    void aClockSlightlyAheadIsToleratedButAReportFromTomorrowIsRefused() {
        Instant slightlyAhead = NOW.plusSeconds(60);
        assertThat(ReportOrder.observedAt(Optional.of(slightlyAhead), NOW, SKEW))
                .isEqualTo(slightlyAhead);
        assertThatThrownBy(() -> ReportOrder.observedAt(Optional.of(NOW.plus(Duration.ofDays(1))), NOW, SKEW))
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("reportedAt"));
    }

    @Test
    void onlyAStrictlyNewerReportSupersedesTheStoredState() {
        assertThat(ReportOrder.supersedes(NOW, null)).isTrue();
        assertThat(ReportOrder.supersedes(NOW.plusMillis(1), NOW)).isTrue();
        assertThat(ReportOrder.supersedes(NOW, NOW)).isFalse();
        assertThat(ReportOrder.supersedes(NOW.minusSeconds(1), NOW)).isFalse();
    }
}
