package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.bulwark.deploy.BulwarkService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules (prometheus/alerts.yml) as Prometheus reads them: promtool checks the file and runs its unit tests
 * (prometheus/alerts-test.yml), each unit test fails when its alert is weakened, every alert says how bad it is,
 * what happened to which service and what to do, and the availability alerts watch every process the deployment runs. Without promtool (Debian's {@code prometheus} package) the promtool
 * checks are skipped with the reason, and fail under {@code CI=true}.
 */
class PrometheusRulesTest {

    private static final String RULES = "prometheus/alerts.yml";
    private static final String UNIT_TESTS = "prometheus/alerts-test.yml";

    /**
     * One change per alert that its unit test must notice: a threshold, a window, a {@code for:} or the filter that
     * keeps other applications' targets out. The replaced text must occur exactly once in alerts.yml.
     */
    private static final Map<String, List<String>> WEAKENED = weakened();

    private static Boolean promtoolWorks;

    @BeforeAll
    static void findPromtool() {
        promtoolWorks = Processes.works(List.of("promtool", "--version"));
    }

    @Test
    void theRulesFileIsValidAndComposesPrometheusLoadsIt() {
        requirePromtool();

        Processes.Result rules = promtool(DeployFolder.path(), "check", "rules", RULES);
        Processes.Result config = promtool(DeployFolder.path(), "check", "config", "prometheus/prometheus.yml");

        assertThat(rules.exitCode()).as(rules.stdout() + rules.stderr()).isZero();
        assertThat(rules.stdout()).contains("SUCCESS: " + alerts().size() + " rules found");
        assertThat(config.exitCode()).as(config.stdout() + config.stderr()).isZero();
        assertThat(config.stdout()).contains("SUCCESS: 1 rule files found");
    }

    @Test
    void everyAlertsUnitTestPasses() {
        requirePromtool();

        Processes.Result result = promtool(DeployFolder.path(), "test", "rules", UNIT_TESTS);

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains("SUCCESS");
    }

    @Test
    void everyAlertsUnitTestFailsWhenItsAlertIsWeakened(@TempDir Path dir) throws IOException {
        requirePromtool();
        String rules = Files.readString(DeployFolder.resolve(RULES));
        Files.copy(DeployFolder.resolve(UNIT_TESTS), dir.resolve("alerts-test.yml"));
        assertThat(WEAKENED.keySet()).containsExactlyInAnyOrderElementsOf(alerts().keySet());

        for (Map.Entry<String, List<String>> change : WEAKENED.entrySet()) {
            String alert = change.getKey();
            String from = change.getValue().get(0);
            assertThat(rules.split(java.util.regex.Pattern.quote(from), -1))
                    .as("'%s' occurs once in alerts.yml", from)
                    .hasSize(2);
            Files.writeString(
                    dir.resolve("alerts.yml"),
                    rules.replace(from, change.getValue().get(1)));

            Processes.Result result = promtool(dir, "test", "rules", "alerts-test.yml");

            assertThat(result.exitCode())
                    .as(
                            "%s weakened (%s -> %s) must fail its unit test",
                            alert, from, change.getValue().get(1))
                    .isNotZero();
            assertThat(result.stdout() + result.stderr()).contains("alertname: " + alert);
        }
    }

    @Test
    void everyAlertWaitsHasASeverityNamesTheServiceAndSaysWhatToDo() {
        Map<String, Map<String, Object>> alerts = alerts();

        assertThat(alerts).isNotEmpty();
        alerts.forEach((name, rule) -> {
            assertThat(rule).as("%s for:", name).containsKey("for");
            assertThat(YamlDocuments.map(rule, "labels"))
                    .as("%s labels", name)
                    .containsKey("severity")
                    .extracting(labels -> labels.get("severity"))
                    .isIn("critical", "warning");
            Map<String, Object> annotations = YamlDocuments.map(rule, "annotations");
            assertThat(annotations).as("%s annotations", name).containsOnlyKeys("summary", "description");
            assertThat(String.valueOf(annotations.get("summary"))).contains("{{ $labels.service }}");
            assertThat(String.valueOf(annotations.get("description"))).contains("Runbook:");
        });
    }

    @Test
    void theAvailabilityAlertsWatchEveryProcessTheDeploymentRuns() {
        List<String> deployed = Arrays.stream(BulwarkService.values())
                .map(BulwarkService::moduleName)
                .toList();
        Pattern serviceFilter = Pattern.compile("up\\{service=~\"([^\"]+)\"}");

        for (String alert : List.of("BulwarkServiceDown", "BulwarkServiceFlapping")) {
            String expr = String.valueOf(alerts().get(alert).get("expr"));
            Matcher filter = serviceFilter.matcher(expr);
            assertThat(filter.find())
                    .as("%s selects up by service: %s", alert, expr)
                    .isTrue();
            assertThat(filter.group(1).split("\\|"))
                    .as("%s watches the services, the gateway and the sign-out bridge", alert)
                    .containsExactlyInAnyOrderElementsOf(deployed);
        }
    }

    @Test
    void everyAlertHasAUnitTestThatSeesItFireAndNotFire() {
        Map<String, Object> unitTests = YamlDocuments.file(DeployFolder.resolve(UNIT_TESTS));
        Map<String, List<Boolean>> firesAt = new LinkedHashMap<>();
        for (Object test : YamlDocuments.list(unitTests, "tests")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) test;
            for (Object evaluation : YamlDocuments.list(fields, "alert_rule_test")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> eval = (Map<String, Object>) evaluation;
                firesAt.computeIfAbsent(String.valueOf(eval.get("alertname")), a -> new ArrayList<>())
                        .add(!YamlDocuments.list(eval, "exp_alerts").isEmpty());
            }
        }

        for (String alert : alerts().keySet()) {
            assertThat(firesAt.get(alert))
                    .as("%s needs an evaluation where it fires and one where it does not", alert)
                    .isNotNull()
                    .contains(true, false);
        }
    }

    /** Every alerting rule of alerts.yml by its name. */
    private static Map<String, Map<String, Object>> alerts() {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Object group : YamlDocuments.list(YamlDocuments.file(DeployFolder.resolve(RULES)), "groups")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) group;
            for (Object rule : YamlDocuments.list(fields, "rules")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> ruleFields = (Map<String, Object>) rule;
                if (ruleFields.containsKey("alert")) {
                    assertThat(alerts.put(String.valueOf(ruleFields.get("alert")), ruleFields))
                            .as("alert %s is defined once", ruleFields.get("alert"))
                            .isNull();
                }
            }
        }
        return alerts;
    }

    private static Map<String, List<String>> weakened() {
        Map<String, List<String>> changes = new LinkedHashMap<>();
        changes.put("BulwarkServiceDown", List.of("== 0\n        for: 2m", "== 0\n        for: 4m"));
        changes.put("BulwarkServiceFlapping", List.of("[15m]) >= 4", "[15m]) >= 7"));
        changes.put(
                "BulwarkOutboxBackingUp",
                List.of("(bulwark_outbox_oldest_age_seconds) > 120", "(bulwark_outbox_oldest_age_seconds) > 600"));
        // without the offset, a channel's first dead letter (its counter appearing at 1) would go unnoticed
        changes.put(
                "BulwarkDeadLettersWritten",
                List.of(
                        "unless bulwark_consumer_dead_letters_total offset 15m",
                        "unless bulwark_consumer_dead_letters_total"));
        changes.put(
                "BulwarkOutboxRelayFailing",
                List.of(
                        "(rate(bulwark_outbox_failures_total[5m])) > 0",
                        "(rate(bulwark_outbox_failures_total[5m])) > 1"));
        changes.put(
                "BulwarkOutboxEventsParked",
                List.of(
                        "(increase(bulwark_outbox_parked_total[15m])) > 0",
                        "(increase(bulwark_outbox_parked_total[15m])) > 1"));
        changes.put(
                "BulwarkConsumerLagging",
                List.of(
                        "records_lag_max{service=~\"device-registry|assignment-service|policy-service|compliance-service\"}",
                        "records_lag_max"));
        changes.put(
                "BulwarkSignOutsWaitingOnTheIdentityProvider",
                List.of(
                        "(rate(signouts_provider_failures_total[5m])) > 0",
                        "(rate(signouts_provider_failures_total[5m])) > 1"));
        // as for the services' dead letters: a cause's first one appears at 1
        changes.put(
                "BulwarkSignOutsDeadLettered",
                List.of("unless signouts_dead_lettered_total offset 15m", "unless signouts_dead_lettered_total"));
        changes.put(
                "BulwarkSignOutBridgeBehind",
                List.of("(signout_bridge_consumer_lag_records) > 100", "(signout_bridge_consumer_lag_records) > 1000"));
        changes.put(
                "BulwarkComplianceLateFixes",
                List.of("late_fixes_total[1h])) > 0\n        for: 1m", "late_fixes_total[1h])) > 0\n        for: 3m"));
        // per replica instead of per service: two alerts for one late deadline
        changes.put(
                "BulwarkRemediationDeadlinesOverdue",
                List.of(
                        "max by (service) (bulwark_compliance_remediation_overdue_seconds)",
                        "max by (service, instance) (bulwark_compliance_remediation_overdue_seconds)"));
        return changes;
    }

    private static void requirePromtool() {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(promtoolWorks)
                    .as("promtool is not on the PATH: under CI=true the alert rules must be checked"
                            + " (apt-get install prometheus)")
                    .isTrue();
        }
        assumeThat(promtoolWorks)
                .as("promtool is not on the PATH: the alert rules cannot be checked, so these checks are skipped"
                        + " (Debian: apt-get install prometheus; the server need not run)")
                .isTrue();
    }

    private static Processes.Result promtool(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        return Processes.run(directory, Map.of(), command);
    }
}
