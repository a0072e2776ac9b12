package dev.bulwark.simulator.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small line chart as inline SVG (no script, no external resource): several named series over a shared x axis, a
 * linear or logarithmic y axis (latencies span 10 ms to a minute), a legend, and x tick labels either numeric or given
 * (e.g. "99 %" on a percentile axis). Points whose y is not positive are left out on a log axis.
 */
public final class SvgChart {

    /** One line: its name (legend), colour and points {x, y}. */
    public record Series(String name, String colour, List<double[]> points) {}

    static final int WIDTH = 760;
    static final int HEIGHT = 300;
    private static final int LEFT = 64;
    private static final int RIGHT = 160;
    private static final int TOP = 28;
    private static final int BOTTOM = 40;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final Map<Double, String> xTicks = new LinkedHashMap<>();
    private boolean logY;

    public SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgChart logY() {
        this.logY = true;
        return this;
    }

    /** Labels at given x positions instead of numbers. */
    public SvgChart xTick(double x, String label) {
        xTicks.put(x, label);
        return this;
    }

    public SvgChart series(String name, String colour, List<double[]> points) {
        series.add(new Series(name, colour, List.copyOf(points)));
        return this;
    }

    public String render() {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        double minY = Double.MAX_VALUE;
        for (Series s : series) {
            for (double[] p : s.points()) {
                if (logY && p[1] <= 0) {
                    continue;
                }
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
                minY = Math.min(minY, p[1]);
            }
        }
        StringBuilder svg = new StringBuilder(4096);
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n",
                WIDTH,
                HEIGHT,
                esc(title)));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>%n",
                LEFT,
                esc(title)));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT,
                TOP,
                plotW,
                plotH));
        if (minX == Double.MAX_VALUE) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"12\">no samples</text>%n",
                    LEFT + 10,
                    TOP + plotH / 2));
            return svg.append("</svg>\n").toString();
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        double yLow = logY ? Math.pow(10, Math.floor(Math.log10(minY))) : 0;
        double yHigh = logY ? Math.pow(10, Math.ceil(Math.log10(maxY))) : niceCeiling(maxY);
        if (yHigh <= yLow) {
            yHigh = logY ? yLow * 10 : yLow + 1;
        }
        Axis axis = new Axis(minX, maxX, yLow, yHigh, logY, plotW, plotH);
        // y ticks
        List<Double> yTicks = new ArrayList<>();
        if (logY) {
            for (double t = yLow; t <= yHigh * 1.0001; t *= 10) {
                yTicks.add(t);
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                yTicks.add(yHigh * i / 5);
            }
        }
        for (double t : yTicks) {
            double y = axis.y(t);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    LEFT,
                    y,
                    LEFT + plotW,
                    y,
                    LEFT - 4,
                    y + 4,
                    number(t)));
        }
        // x ticks
        Map<Double, String> ticks = new LinkedHashMap<>(xTicks);
        if (ticks.isEmpty()) {
            double step = niceCeiling((maxX - minX) / 6);
            for (double t = Math.ceil(minX / step) * step; t <= maxX + 1e-9; t += step) {
                ticks.put(t, number(t));
            }
        }
        ticks.forEach((t, label) -> {
            if (t < axis.minX - 1e-9 || t > axis.maxX + 1e-9) {
                return;
            }
            double x = axis.x(t);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    x,
                    TOP,
                    x,
                    TOP + plotH,
                    x,
                    TOP + plotH + 14,
                    esc(label)));
        });
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2,
                HEIGHT - 6,
                esc(xLabel)));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"12\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>%n",
                TOP + plotH / 2,
                TOP + plotH / 2,
                esc(yLabel)));
        int legendY = TOP + 10;
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            for (double[] p : s.points()) {
                if (logY && p[1] <= 0) {
                    continue;
                }
                path.append(path.length() == 0 ? "M" : " L")
                        .append(String.format(Locale.ROOT, "%.1f %.1f", axis.x(p[0]), axis.y(p[1])));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<path class=\"series\" d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\">"
                            + "<title>%s</title></path>%n",
                    path,
                    esc(s.colour()),
                    esc(s.name())));
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>"
                            + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>%n",
                    LEFT + plotW + 8,
                    legendY,
                    LEFT + plotW + 24,
                    legendY,
                    esc(s.colour()),
                    LEFT + plotW + 28,
                    legendY + 4,
                    esc(s.name())));
            legendY += 16;
        }
        return svg.append("</svg>\n").toString();
    }

    /** Maps data to pixels inside the plot area. */
    record Axis(double minX, double maxX, double minY, double maxY, boolean logY, int plotW, int plotH) {
        double x(double value) {
            return LEFT + (value - minX) / (maxX - minX) * plotW;
        }

        double y(double value) {
            double f = logY
                    ? (Math.log10(value) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY))
                    : (value - minY) / (maxY - minY);
            return TOP + plotH - f * plotH;
        }
    }

    /** The smallest 1, 2 or 5 × 10^k at or above {@code value}. */
    static double niceCeiling(double value) {
        if (value <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= value * 0.999999) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String number(double value) {
        if (value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String esc(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
