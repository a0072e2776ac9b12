package dev.bulwark.simulator.bench;

import dev.bulwark.simulator.Percentiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link BenchRun}: as text (the console and the markdown summary) and as one self-contained HTML page with
 * inline SVG charts per rate — report → SignOutRequired latency over the phase (p50 and p99 per second, with the
 * front door's HTTP p99 and the Kafka anchor's p99) and the percentile distribution against the anchor's.
 */
public final class BenchReport {

    private BenchReport() {}

    /** The figures as plain text, one block per phase, then the ratios to the anchors. */
    public static String text(BenchRun run) {
        StringBuilder t = new StringBuilder();
        t.append("Bulwark bench — run ")
                .append(run.runId())
                .append(", started ")
                .append(run.startedAt())
                .append('\n');
        t.append(run.command()).append('\n');
        t.append(run.joined()).append('\n');
        for (RatePhase.Result p : run.phases()) {
            Percentiles e2e = BenchRun.latencies(p.signOut());
            Percentiles http = BenchRun.latencies(p.http());
            t.append(String.format(
                    Locale.ROOT,
                    "%n== %,d check-ins/s offered for %d s (load before %s, after %s)%n",
                    p.rate(),
                    p.lengthMillis() / 1000,
                    p.loadBefore(),
                    p.loadAfter()));
            t.append(String.format(
                    Locale.ROOT,
                    "  front door: offered %,d, sent %,d (not sent, %,d in flight: %,d), accepted %,d = %,.0f/s"
                            + " (%.0f %% of offered); statuses %s%n",
                    p.offered(),
                    p.sent(),
                    p.maxInFlight(),
                    p.offered() - p.sent(),
                    p.accepted(),
                    p.acceptedPerSecond(),
                    100.0 * p.acceptedPerSecond() / p.rate(),
                    p.statuses()));
            t.append("  HTTP latency: ").append(http).append('\n');
            t.append("  report -> SignOutRequired at an outside consumer: ")
                    .append(e2e)
                    .append(String.format(
                            Locale.ROOT, " (expected %,d, missing %,d)%n", p.expectedSignOuts(), p.missingSignOuts()));
            t.append("    where it went: front door answer ")
                    .append(BenchRun.column(p.signOut(), 2).brief())
                    .append("; device-registry relay -> devices topic ")
                    .append(BenchRun.column(p.signOut(), 3).brief())
                    .append("; compliance-service, devices topic -> SignOutRequired on its topic ")
                    .append(BenchRun.column(p.signOut(), 4).brief())
                    .append("; to the outside consumer ")
                    .append(BenchRun.column(p.signOut(), 5).brief())
                    .append('\n');
            KafkaChainAnchor.Result raw = run.kafkaAnchors().get(p.rate());
            if (raw != null) {
                Percentiles r = BenchRun.latencies(raw.samples());
                t.append(String.format(
                        Locale.ROOT,
                        "  anchor, raw Kafka two hops at %,d/s (%d B in, %d B out; sent %,d, received %,d): %s%n",
                        raw.rate(),
                        raw.inputBytes(),
                        raw.outputBytes(),
                        raw.sent(),
                        raw.received(),
                        r));
                t.append(String.format(
                        Locale.ROOT,
                        "  ratio Bulwark / raw Kafka: p50 %s, p99 %s%n",
                        BenchRun.ratio(e2e.p50(), r.p50()),
                        BenchRun.ratio(e2e.p99(), r.p99())));
            }
        }
        run.jdbcAnchor().ifPresent(j -> {
            t.append(String.format(
                    Locale.ROOT,
                    "%n== anchor, JDBC batch insert on the same PostgreSQL: %,d rows in %,d ms = %,.0f rows/s%n",
                    j.rows(),
                    j.millis(),
                    j.rowsPerSecond()));
            for (RatePhase.Result p : run.phases()) {
                t.append(String.format(
                        Locale.ROOT,
                        "  accepted check-ins at %,d/s offered: %,.0f/s = %.2f %% of the JDBC insert rate%n",
                        p.rate(),
                        p.acceptedPerSecond(),
                        100.0 * p.acceptedPerSecond() / Math.max(1, j.rowsPerSecond())));
            }
        });
        run.storm()
                .ifPresent(s -> t.append(String.format(
                        Locale.ROOT,
                        "%n== join storm: %,d subjects (load before %s, after %s)%n"
                                + "  joined and first reports sent in %,d ms (%d refused); %s%n"
                                + "  WRONG SIGN-OUTS (fix reported before the deadline, signed out anyway): %,d"
                                + " (%,d by the events' occurredAt, the rest by the bench's clock)%n"
                                + "  fixes reported in time %,d; signed out without a fix %,d; restored %,d; fixes answered %,d"
                                + " (answered after the deadline: %,d); still without an outcome: %,d%n",
                        s.subjects(),
                        s.loadBefore(),
                        s.loadAfter(),
                        s.joinMillis(),
                        s.refused(),
                        s.drainMillis()
                                .map(ms -> String.format(
                                        Locale.ROOT, "drained (every outcome received) %,d ms after the start", ms))
                                .orElse("NOT drained within the wait (deadline + --drain after the join)"),
                        s.wrongSignOuts(),
                        s.wrongByOccurredAt(),
                        s.fixedInTime(),
                        s.rightSignOuts(),
                        s.restored(),
                        s.fixesAnswered(),
                        s.fixesLate(),
                        s.unsettled())));
        run.notes().forEach(n -> t.append(n).append('\n'));
        return t.toString();
    }

    /** The markdown summary: the text figures in a block, under a heading. */
    public static String markdown(BenchRun run) {
        return "# Bulwark bench — run " + run.runId() + "\n\n```\n" + text(run) + "```\n";
    }

    public static String html(BenchRun run) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bulwark bench — run ")
                .append(SvgChart.esc(run.runId()))
                .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:62em}")
                .append("pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style></head><body>\n")
                .append("<h1>Bulwark bench — run ")
                .append(SvgChart.esc(run.runId()))
                .append("</h1>\n<pre>")
                .append(SvgChart.esc(text(run)))
                .append("</pre>\n");
        for (RatePhase.Result p : run.phases()) {
            KafkaChainAnchor.Result raw = run.kafkaAnchors().get(p.rate());
            h.append(String.format(Locale.ROOT, "<h2>%,d check-ins/s offered</h2>%n", p.rate()));
            h.append(overTime(p, raw));
            h.append(percentiles(p, raw));
        }
        return h.append("</body></html>\n").toString();
    }

    /** p50 and p99 per second of the phase (by when the report was sent), ms on a log axis. */
    static String overTime(RatePhase.Result p, KafkaChainAnchor.Result raw) {
        SvgChart chart = new SvgChart(
                        "Latency over the phase, " + p.rate() + "/s offered",
                        "seconds into the phase (when the report was sent)",
                        "ms")
                .logY();
        addTimeline(chart, "SignOutRequired p50", "#3b6ea8", p.signOut(), false);
        addTimeline(chart, "SignOutRequired p99", "#c0392b", p.signOut(), true);
        addTimeline(chart, "HTTP p99", "#8e44ad", p.http(), true);
        if (raw != null) {
            addTimeline(chart, "raw Kafka p99", "#27ae60", raw.samples(), true);
        }
        return chart.render();
    }

    private static void addTimeline(SvgChart chart, String name, String colour, List<long[]> samples, boolean p99) {
        LatencyTimeline timeline = new LatencyTimeline(1000);
        samples.forEach(s -> timeline.add(s[0], s[1]));
        List<double[]> points = new ArrayList<>();
        for (LatencyTimeline.Bucket b : timeline.buckets()) {
            points.add(new double[] {b.startMillis() / 1000.0, Math.max(1, p99 ? b.p99() : b.p50())});
        }
        chart.series(name, colour, points);
    }

    /** The percentile distribution (nines axis), the stack's against the raw chain's. */
    static String percentiles(RatePhase.Result p, KafkaChainAnchor.Result raw) {
        SvgChart chart = new SvgChart("Percentile distribution, " + p.rate() + "/s offered", "percentile", "ms").logY();
        for (Map.Entry<Double, String> tick : Map.of(
                        0.0, "0 %", 1.0, "90 %", 2.0, "99 %", 3.0, "99.9 %", 4.0, "99.99 %")
                .entrySet()) {
            chart.xTick(tick.getKey(), tick.getValue());
        }
        chart.series("report → SignOutRequired", "#c0392b", curve(p.signOut()));
        chart.series("HTTP check-in", "#8e44ad", curve(p.http()));
        if (raw != null) {
            chart.series("raw Kafka two hops", "#27ae60", curve(raw.samples()));
        }
        return chart.render();
    }

    private static List<double[]> curve(List<long[]> samples) {
        return PercentileCurve.of(samples.stream().map(s -> s[1]).toList()).stream()
                .map(pt -> new double[] {pt.nines(), Math.max(1, pt.latencyMillis())})
                .toList();
    }
}
