package dev.bulwark.policy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The remembered answer's {@code checkAgainAt}: always now + the answer's interval, to the millisecond. */
class CheckAgainAtTest {

    private static String render(Instant now, Duration after) {
        return new String(
                SignInAnswers.CheckAgainAt.render(Clock.fixed(now, ZoneOffset.UTC), after), StandardCharsets.US_ASCII);
    }

    @Test
    void itIsNowPlusTheIntervalAndMovesOnWithTheClock() {
        Instant now = Instant.parse("2026-12-05T01:00:00.123Z");
        assertThat(render(now, Duration.ofMinutes(30))).isEqualTo("2026-12-05T01:30:00.123Z");
        assertThat(render(now.plusMillis(1), Duration.ofMinutes(30))).isEqualTo("2026-12-05T01:30:00.124Z");
        assertThat(render(now.plusSeconds(60), Duration.ofMinutes(30))).isEqualTo("2026-12-05T01:31:00.123Z");
    }

    @Test
    void twoIntervalsInTheSameMillisecondEachGetTheirOwn() {
        Instant now = Instant.parse("2026-12-05T02:00:00.500Z");
        assertThat(render(now, Duration.ofMinutes(30))).isEqualTo("2026-12-05T02:30:00.500Z");
        assertThat(render(now, Duration.ofHours(1))).isEqualTo("2026-12-05T03:00:00.500Z");
        assertThat(render(now, Duration.ofMinutes(30))).isEqualTo("2026-12-05T02:30:00.500Z");
    }

    @Test
    void sub_millisecondPartsOfTheClockAreDropped() {
        assertThat(render(Instant.parse("2026-12-05T02:00:00.500999Z"), Duration.ofSeconds(1)))
                .isEqualTo("2026-12-05T02:00:01.500Z");
    }
}
