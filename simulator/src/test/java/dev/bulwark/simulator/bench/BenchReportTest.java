package dev.bulwark.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static List<long[]> samples(long latency, int n) {
        List<long[]> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(new long[] {i * 10L, latency + i});
        }
        return s;
    }

    private static BenchRun run() {
        RatePhase.Result phase = new RatePhase.Result(
                200,
                30_000,
                6000,
                6000,
                5990,
                512,
                Map.of(202, 5990, 503, 10),
                samples(20, 6000),
                samples(400, 600),
                600,
                0,
                30_000,
                "1.00, 2.00, 3.00",
                "4.00, 5.00, 6.00");
        KafkaChainAnchor.Result raw = new KafkaChainAnchor.Result(200, 6000, 6000, 420, 610, samples(40, 6000));
        StormPhase.Result storm = new StormPhase.Result(
                100, 0, 5_000, Optional.of(42_000L), 3, 2, 47, 50, 47, 0, 50, 0, "1.0, 1.0, 1.0", "2.0, 2.0, 2.0");
        return new BenchRun(
                "r1",
                "./bulwark bench --rates 200",
                "2026-12-04T19:00:00Z",
                "setup: …",
                List.of(phase),
                Map.of(200, raw),
                Optional.of(new JdbcInsertAnchor.Result(100_000, 10_000)),
                Optional.of(storm),
                List.of());
    }

    @Test
    void theTextGivesFiguresRatiosLoadAndWrongSignOuts() {
        String text = BenchReport.text(run());
        assertThat(text)
                .contains("200 check-ins/s offered for 30 s (load before 1.00, 2.00, 3.00, after 4.00, 5.00, 6.00)")
                .contains("accepted 5,990 = 200/s")
                .contains("report -> SignOutRequired at an outside consumer: n=600 p50=699 ms")
                .contains("raw Kafka two hops at 200/s (420 B in, 610 B out")
                .contains("ratio Bulwark / raw Kafka: p50 0.2×, p99 0.2×")
                .contains("10,000 rows/s")
                .contains(
                        "WRONG SIGN-OUTS (fix reported before the deadline, signed out anyway): 3 (2 by the events' occurredAt")
                .contains("drained (every outcome received) 42,000 ms after the start");
    }

    @Test
    void theHtmlIsOneSelfContainedPageWithTwoChartsPerRate() {
        String html = BenchReport.html(run());
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n").doesNotContain("<script");
        assertThat(Pattern.compile("<svg ").matcher(html).results().count()).isEqualTo(2);
        assertThat(html.replace("http://www.w3.org/2000/svg", ""))
                .doesNotContain("http://")
                .doesNotContain("https://");
        assertThat(html)
                .contains("raw Kafka p99")
                .contains("report → SignOutRequired")
                .contains("99 %");
    }

    @Test
    void theMarkdownHoldsTheText() {
        assertThat(BenchReport.markdown(run()))
                .startsWith("# Bulwark bench — run r1")
                .contains("WRONG SIGN-OUTS");
    }
}
