package dev.bulwark.simulator.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The percentile distribution of a set of latencies, HDR-histogram style: the latency at each percentile from 0 to the
 * highest the sample size supports, placed on an axis of "nines" ({@code log10(1 / (1 - p))}: 90 % → 1, 99 % → 2,
 * 99.9 % → 3), so that the tail is as readable as the median. Percentiles by nearest rank (observed values only).
 */
public final class PercentileCurve {

    /** A point: the percentile (0–100), its position on the nines axis, the latency at it (ms). */
    public record Point(double percentile, double nines, long latencyMillis) {}

    private static final double[] STEPS = {
        0, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 97.5, 98, 98.5, 99, 99.25, 99.5, 99.75,
        99.9, 99.95, 99.99, 99.995, 99.999
    };

    private PercentileCurve() {}

    /** The curve's points; a percentile finer than 1/n of the samples is left out (it would only repeat the max). */
    public static List<Point> of(Collection<Long> latencies) {
        List<Point> points = new ArrayList<>();
        if (latencies.isEmpty()) {
            return points;
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = sorted.length;
        for (double p : STEPS) {
            if (p > 0 && (100.0 - p) / 100.0 * n < 1 - 1e-9) {
                break;
            }
            points.add(new Point(p, nines(p), at(sorted, p)));
        }
        return points;
    }

    /** log10(1 / (1 - p/100)): 0 at the median's left end, 1 at 90 %, 2 at 99 %. */
    public static double nines(double percentile) {
        return Math.log10(100.0 / (100.0 - percentile));
    }

    /** The nearest-rank value at {@code percentile} of sorted samples (0 → the smallest). */
    static long at(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length - 1e-9) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
