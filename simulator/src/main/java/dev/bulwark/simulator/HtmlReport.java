package dev.bulwark.simulator;

import java.util.Map;

/**
 * Renders a {@link Summary} as one self-contained HTML page: tables and an inline SVG histogram of the
 * report-to-sign-out latencies, no script and no external resource, so it can be attached to an issue or a CI run.
 */
public final class HtmlReport {

    private static final int BUCKETS = 30;

    private HtmlReport() {}

    public static String render(Summary s) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bulwark simulator — run ")
                .append(esc(s.runId()))
                .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .6em;")
                .append(
                        "text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}</style></head><body>\n");
        h.append("<h1>Bulwark simulator — run ").append(esc(s.runId())).append("</h1>\n");
        h.append("<p>")
                .append(s.devices())
                .append(" managed devices, ")
                .append(s.appInstallations())
                .append(" app installations (")
                .append(s.appAccounts())
                .append(" accounts), ")
                .append(s.users())
                .append(" users in ")
                .append(esc(String.join(", ", s.tenants())))
                .append("; ran ")
                .append(Summary.formatDuration(s.elapsed()))
                .append(".</p>\n<p><code>")
                .append(esc(s.command()))
                .append("</code></p>\n");
        h.append("<h2>Latency: non-compliant report → SignOutRequired received</h2>\n");
        percentiles(h, s.signOutLatency());
        h.append(chart(s));
        h.append("<h2>Latency: non-compliant report → ComplianceFailed received</h2>\n");
        percentiles(h, s.complianceFailedLatency());
        h.append("<h2>Remediation and sign-out</h2>\n<table>");
        row(h, "remediations tried", s.remediationsTried());
        row(h, "remediations succeeded", s.remediationsSucceeded());
        row(h, "remediations failed", s.remediationsFailed());
        row(h, "sign-outs received", s.signOuts());
        row(h, "non-compliant subjects still waiting for a sign-out", s.stillExpectingSignOut());
        row(h, "accounts signed in again", s.actions().getOrDefault("reSignIns", 0L));
        row(h, "selective wipes done", s.actions().getOrDefault("wipesDone", 0L));
        row(h, "selective wipes failed", s.actions().getOrDefault("wipesFailed", 0L));
        h.append("</table>\n<h2>Configuration profiles</h2>\n<table>");
        row(h, "applied", s.actions().getOrDefault("profilesApplied", 0L));
        row(h, "failed", s.actions().getOrDefault("profilesFailed", 0L));
        row(h, "removed", s.actions().getOrDefault("profilesRemoved", 0L));
        h.append("</table>\n");
        table(h, "Events seen on the topics", s.events());
        table(h, "What the fleet did", s.actions());
        if (!s.httpErrors().isEmpty()) {
            table(h, "HTTP errors", s.httpErrors());
        }
        if (!s.sampleMessages().isEmpty()) {
            h.append("<h2>A sign-out message as the user saw it</h2>\n<blockquote>")
                    .append(esc(s.sampleMessages().get(0)))
                    .append("</blockquote>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** A bar per latency bucket (width: max / 30, rounded up to 10 ms), with axis labels in ms. */
    static String chart(Summary s) {
        int width = 720;
        int height = 240;
        int left = 50;
        int bottom = 30;
        if (s.signOutSamples().isEmpty()) {
            return "<p>No sign-out was measured.</p>\n";
        }
        long max = s.signOutLatency().max();
        long bucket = Math.max(10, ((max / BUCKETS) / 10 + 1) * 10);
        int[] counts = Percentiles.histogram(s.signOutSamples(), bucket, BUCKETS);
        int top = 1;
        for (int c : counts) {
            top = Math.max(top, c);
        }
        double barWidth = (double) (width - left) / BUCKETS;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" "
                        + "aria-label=\"latency histogram\">%n",
                width, height + bottom));
        svg.append(String.format(
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", left, height, width, height));
        svg.append(
                String.format("<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n", left, left, height));
        svg.append(String.format(
                "<text x=\"%d\" y=\"12\" font-size=\"11\" text-anchor=\"end\">%d</text>%n", left - 4, top));
        for (int i = 0; i < BUCKETS; i++) {
            double h = (double) counts[i] / top * (height - 10);
            svg.append(String.format(
                    java.util.Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea8\">"
                            + "<title>%d–%d ms: %d</title></rect>%n",
                    left + i * barWidth + 1,
                    height - h,
                    barWidth - 2,
                    h,
                    i * bucket,
                    (i + 1) * bucket,
                    counts[i]));
            if (i % 5 == 0) {
                svg.append(String.format(
                        java.util.Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%d ms</text>%n",
                        left + i * barWidth,
                        height + 18,
                        i * bucket));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static void percentiles(StringBuilder h, Percentiles p) {
        h.append("<table><tr><th>samples</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr><tr>");
        for (long v : new long[] {p.count(), p.p50(), p.p90(), p.p99(), p.max()}) {
            h.append("<td class=\"n\">").append(v).append("</td>");
        }
        h.append("</tr></table>\n<p>milliseconds</p>\n");
    }

    private static void table(StringBuilder h, String title, Map<String, Long> values) {
        h.append("<h2>").append(esc(title)).append("</h2>\n<table>");
        values.forEach((k, v) -> row(h, k, v));
        h.append("</table>\n");
    }

    private static void row(StringBuilder h, String name, long value) {
        h.append("<tr><td>")
                .append(esc(name))
                .append("</td><td class=\"n\">")
                .append(value)
                .append("</td></tr>");
    }

    static String esc(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
