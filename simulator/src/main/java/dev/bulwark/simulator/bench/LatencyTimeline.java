package dev.bulwark.simulator.bench;

import dev.bulwark.simulator.Percentiles;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Latencies by when their request was sent: per time bucket (e.g. each second of a phase) the count, p50 and p99, so a
 * report shows whether latency holds steady or grows as a backlog builds. Pure; not thread-safe (fill it after the
 * phase).
 */
public final class LatencyTimeline {

    /** One bucket: its start (ms after the phase began), how many samples, their p50 and p99 (ms). */
    public record Bucket(long startMillis, int count, long p50, long p99) {}

    private final long widthMillis;
    private final TreeMap<Long, List<Long>> samples = new TreeMap<>();

    public LatencyTimeline(long widthMillis) {
        if (widthMillis <= 0) {
            throw new IllegalArgumentException("bucket width must be positive");
        }
        this.widthMillis = widthMillis;
    }

    /** A latency of {@code latencyMillis} for a request sent {@code sentAtMillis} after the phase began. */
    public void add(long sentAtMillis, long latencyMillis) {
        long bucket = Math.floorDiv(Math.max(0, sentAtMillis), widthMillis) * widthMillis;
        samples.computeIfAbsent(bucket, b -> new ArrayList<>()).add(latencyMillis);
    }

    /** The non-empty buckets in time order. */
    public List<Bucket> buckets() {
        List<Bucket> out = new ArrayList<>(samples.size());
        samples.forEach((start, values) -> {
            Percentiles p = Percentiles.of(values);
            out.add(new Bucket(start, p.count(), p.p50(), p.p99()));
        });
        return out;
    }
}
