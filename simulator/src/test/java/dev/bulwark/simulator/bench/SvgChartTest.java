package dev.bulwark.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void aSeriesIsAPathThroughItsPointsInsideThePlot() {
        String svg = new SvgChart("t", "x", "y")
                .series("p99", "#c00", List.of(new double[] {0, 0}, new double[] {10, 100}))
                .render();
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>\n");
        Matcher m = Pattern.compile("class=\"series\" d=\"M([\\d.]+) ([\\d.]+) L([\\d.]+) ([\\d.]+)\"")
                .matcher(svg);
        assertThat(m.find()).isTrue();
        // first point at the bottom left of the plot (x 64, y 300-40), the last at the right, the top of the axis
        assertThat(Double.parseDouble(m.group(1))).isEqualTo(64.0);
        assertThat(Double.parseDouble(m.group(2))).isEqualTo(260.0);
        assertThat(Double.parseDouble(m.group(3))).isEqualTo(SvgChart.WIDTH - 160.0);
        assertThat(Double.parseDouble(m.group(4))).isEqualTo(28.0);
        assertThat(svg).contains("<title>p99</title>").contains(">100</text>");
    }

    @Test
    void aLogAxisHasDecadeTicksAndDropsNonPositivePoints() {
        String svg = new SvgChart("t", "x", "ms")
                .logY()
                .series("s", "#000", List.of(new double[] {0, 0}, new double[] {1, 20}, new double[] {2, 3000}))
                .render();
        assertThat(svg)
                .contains(">10</text>")
                .contains(">100</text>")
                .contains(">1,000</text>")
                .contains(">10,000</text>");
        assertThat(Pattern.compile(" L").matcher(svg).results().count()).isEqualTo(1);
    }

    @Test
    void givenTickLabelsReplaceNumbers() {
        String svg = new SvgChart("t", "percentile", "ms")
                .xTick(0, "0 %")
                .xTick(2, "99 %")
                .series("s", "#000", List.of(new double[] {0, 1}, new double[] {2, 5}))
                .render();
        assertThat(svg).contains(">0 %</text>").contains(">99 %</text>");
    }

    @Test
    void textIsEscapedAndAnEmptyChartSaysSo() {
        String svg = new SvgChart("a <b> & \"c\"", "x", "y").render();
        assertThat(svg)
                .contains("a &lt;b&gt; &amp; &quot;c&quot;")
                .contains("no samples")
                .doesNotContain("<b>");
    }

    @Test
    void niceCeilingsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgChart.niceCeiling(7)).isEqualTo(10);
        assertThat(SvgChart.niceCeiling(130)).isEqualTo(200);
        assertThat(SvgChart.niceCeiling(0.3)).isEqualTo(0.5);
        assertThat(SvgChart.niceCeiling(1000)).isEqualTo(1000);
    }
}
