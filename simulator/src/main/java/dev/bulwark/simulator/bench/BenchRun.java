package dev.bulwark.simulator.bench;

import dev.bulwark.simulator.Percentiles;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one benchmark run measured, in the order it was measured, with the load average around each phase: the
 * rate phases through the stack, their Kafka anchors at the same rates, the JDBC anchor, and the join storm.
 */
public record BenchRun(
        String runId,
        String command,
        String startedAt,
        String joined,
        List<RatePhase.Result> phases,
        Map<Integer, KafkaChainAnchor.Result> kafkaAnchors,
        Optional<JdbcInsertAnchor.Result> jdbcAnchor,
        Optional<StormPhase.Result> storm,
        List<String> notes) {

    static Percentiles latencies(List<long[]> samples) {
        return Percentiles.of(samples.stream().map(s -> s[1]).toList());
    }

    /**
     * Percentiles of one column of the samples, leaving out the samples where it is unknown ({@code < 0}): the hops
     * of report → SignOutRequired are columns 2 (front door answer), 3 (device-registry relay: answer → record on
     * bulwark.devices.v1), 4 (compliance-service: that record → the SignOutRequired record) and 5 (delivery to the
     * outside consumer).
     */
    static Percentiles column(List<long[]> samples, int column) {
        return Percentiles.of(samples.stream()
                .filter(s -> s.length > column && s[column] >= 0)
                .map(s -> s[column])
                .toList());
    }

    /** {@code a / b} as "12.3×", or "–" when b is zero. */
    static String ratio(double a, double b) {
        return b == 0 ? "–" : String.format(java.util.Locale.ROOT, "%.1f×", a / b);
    }
}
