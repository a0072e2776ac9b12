package dev.bulwark.simulator;

import java.util.Arrays;
import java.util.Collection;

/**
 * Latency percentiles by the nearest-rank method (the smallest sample with at least p % of samples at or below it),
 * which reports a latency that was really observed rather than an interpolation.
 */
public record Percentiles(int count, long p50, long p90, long p99, long max) {

    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0);

    public static Percentiles of(Collection<Long> samples) {
        if (samples.isEmpty()) {
            return EMPTY;
        }
        long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Percentiles(
                sorted.length, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    /** Nearest rank: ceil(p/100 × n), 1-based. */
    static long rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Counts of samples per bucket of {@code width} from 0; the last bucket holds the rest. */
    public static int[] histogram(Collection<Long> samples, long width, int buckets) {
        int[] counts = new int[buckets];
        for (long s : samples) {
            counts[(int) Math.min(buckets - 1, Math.max(0, s) / width)]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return count == 0
                ? "no samples"
                : String.format("n=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms", count, p50, p90, p99, max);
    }

    /** "p50 12 / p99 80 ms", for a line of several figures. */
    public String brief() {
        return count == 0 ? "–" : String.format("p50 %d / p99 %d ms", p50, p99);
    }

    static long[] sorted(Collection<Long> samples) {
        long[] a = samples.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
