package dev.bulwark.deploy.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Prometheus operator's {@code PrometheusRule} carrying the alert groups of {@code prometheus/alerts.yml}, the
 * rules file compose's Prometheus loads. The rules are written once, in that file (where promtool checks and
 * unit-tests them); this copies its {@code groups:} block under {@code spec:} unchanged, so both places alert alike.
 */
public final class AlertRuleManifests {

    /** The rules file, relative to the deploy module folder. */
    public static final Path RULES_FILE = Path.of("prometheus", "alerts.yml");

    /** The PrometheusRule, relative to the deploy module folder. */
    public static final Path PROMETHEUS_RULE = Path.of("k8s", "base", "prometheus-rules.yaml");

    private static final String HEADER =
            """
            ---
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata:
              name: bulwark-alerts
              labels:
                app.kubernetes.io/name: bulwark
                app.kubernetes.io/component: alerts
            spec:
            """;

    private AlertRuleManifests() {}

    /** The PrometheusRule file made from the rules file in {@code deployFolder}. */
    public static GeneratedFile file(Path deployFolder) {
        try {
            return new GeneratedFile(
                    PROMETHEUS_RULE, prometheusRule(Files.readString(deployFolder.resolve(RULES_FILE))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RULES_FILE, e);
        }
    }

    /**
     * The PrometheusRule for a rules file's text: its leading comment lines are dropped, then everything from its
     * {@code groups:} line on is indented under {@code spec:}.
     *
     * @throws IllegalArgumentException if the first line that is not a comment or blank is not {@code groups:}
     */
    public static String prometheusRule(String rulesFile) {
        List<String> lines = rulesFile.lines().toList();
        int start = 0;
        while (start < lines.size()
                && (lines.get(start).isBlank() || lines.get(start).startsWith("#"))) {
            start++;
        }
        if (start == lines.size() || !lines.get(start).equals("groups:")) {
            throw new IllegalArgumentException(
                    RULES_FILE + " must start (after its comments) with a top-level 'groups:' line");
        }
        StringBuilder yaml = new StringBuilder(GeneratedFiles.stamp(
                        "#", "deploy/" + RULES_FILE.toString().replace('\\', '/')))
                .append(HEADER);
        for (String line : lines.subList(start, lines.size())) {
            yaml.append(line.isBlank() ? "" : "  " + line).append('\n');
        }
        return yaml.toString();
    }
}
