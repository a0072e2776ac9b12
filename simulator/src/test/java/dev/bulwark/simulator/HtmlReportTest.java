package dev.bulwark.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static Summary summary(List<Long> latencies) {
        return new Summary(
                "r1",
                List.of("sim-r1-1"),
                6000,
                4000,
                4800,
                10000,
                Duration.ofSeconds(185),
                Map.of(
                        "reports",
                        12000L,
                        "profilesApplied",
                        7L,
                        "profilesFailed",
                        2L,
                        "profilesRemoved",
                        1L,
                        "reSignIns",
                        2L,
                        "wipesDone",
                        1L),
                Map.of("SignOutRequired", 2L, "ComplianceFailed", 3L),
                Map.of(),
                3,
                1,
                2,
                2,
                0,
                Percentiles.of(latencies),
                Percentiles.of(List.of(100L, 200L, 300L)),
                latencies,
                List.of("Sign in again <now> & \"then\""),
                "simulate --devices 6000 --apps 4000");
    }

    @Test
    void theReportIsOneSelfContainedPageWithAChart() {
        String html = HtmlReport.render(summary(List.of(100L, 200L, 3000L)));

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).contains("<svg", "</svg>", "ComplianceFailed", "SignOutRequired", "simulate --devices 6000");
        assertThat(html).doesNotContain("<script", "src=\"http", "href=\"http");
        assertThat(html).contains("<td class=\"n\">3000</td>");
        assertThat(html.split("class=\"bar\"", -1)).hasSize(31);
    }

    @Test
    void userTextIsEscaped() {
        String html = HtmlReport.render(summary(List.of(1L)));

        assertThat(html)
                .contains("Sign in again &lt;now&gt; &amp; &quot;then&quot;")
                .doesNotContain("<now>");
    }

    @Test
    void withoutSignOutsThereIsNoChartButASentence() {
        String html = HtmlReport.render(summary(List.of()));

        assertThat(html).doesNotContain("<svg").contains("No sign-out was measured.");
    }

    @Test
    void theTextSummaryHasTheFigures() {
        String text = summary(List.of(100L, 200L, 3000L)).toText();

        assertThat(text)
                .contains("6000 managed devices, 4000 app installations (4800 accounts)")
                .contains("remediations: tried 3, succeeded 1, failed 2")
                .contains("p50=200 ms p90=3000 ms p99=3000 ms max=3000 ms")
                .contains("SignOutRequired")
                .contains("signed in again: 2")
                .contains("selective wipes: done 1, failed 0")
                .contains("configuration profiles: applied 7, failed 2, removed 1");
        assertThat(HtmlReport.render(summary(List.of(1L))))
                .contains("<h2>Configuration profiles</h2>")
                .contains("accounts signed in again");
    }

    @Test
    void theProgressBarFills() {
        assertThat(ProgressLine.bar(5, 10, 10)).isEqualTo("[#####-----]  50%");
        assertThat(ProgressLine.bar(20, 10, 4)).isEqualTo("[####] 100%");
    }
}
