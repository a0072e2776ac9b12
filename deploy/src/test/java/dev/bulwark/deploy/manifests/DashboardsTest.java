package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.deploy.BulwarkService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards as Grafana would load them, and the metric names they and the alert rules read: every
 * dashboard parses and has its own uid and title, every panel queries the dashboards' Prometheus variable, every
 * variable a query uses is defined, and every metric name is one of {@code grafana/exported-metrics.txt} — the list
 * scenario-tests' {@code MetricNamesScenariosIT} checks against the running services — which lists nothing else.
 */
class DashboardsTest {

    /** Grafana would keep the last of two equal keys; here a key written twice fails the test. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** Grafana's own variables, which a query may use without defining them. */
    private static final Set<String> BUILT_IN_VARIABLES =
            Set.of("__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms");

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)(?::[^}]*)?}|([A-Za-z0-9_]+))");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> SECTIONS = Set.of("services", "after-rare-events", "signout-bridge", "prometheus");

    private static Map<Path, Map<String, Object>> dashboards;

    @BeforeAll
    static void readDashboards() throws IOException {
        dashboards = new TreeMap<>();
        try (Stream<Path> files = Files.list(DeployFolder.path().resolve(GrafanaDashboards.FOLDER))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                dashboards.put(file.getFileName(), JSON.readValue(Files.readString(file), MAP));
            }
        }
    }

    @Test
    void everyDashboardParsesAndHasItsOwnUidAndTitle() {
        assertThat(dashboards).hasSize(BulwarkService.values().length + 1);
        Set<Object> uids = new HashSet<>();
        Set<Object> titles = new HashSet<>();
        dashboards.forEach((file, dashboard) -> {
            assertThat(dashboard.get("uid"))
                    .as("%s uid (Grafana allows 40 characters of letters, digits, - and _)", file)
                    .asString()
                    .matches("[A-Za-z0-9_-]{1,40}");
            assertThat(uids.add(dashboard.get("uid")))
                    .as("%s: uid used twice", file)
                    .isTrue();
            assertThat(dashboard.get("title")).as("%s title", file).asString().isNotBlank();
            assertThat(titles.add(dashboard.get("title")))
                    .as("%s: title used twice", file)
                    .isTrue();
            assertThat(dashboard)
                    .as("%s: provisioned dashboards get their id from Grafana", file)
                    .doesNotContainKey("id");
        });
    }

    @Test
    void everyPanelHasTheDatasourceVariableAndAtLeastOneQuery() {
        dashboards.forEach((file, dashboard) -> {
            Set<Object> ids = new HashSet<>();
            for (Map<String, Object> panel : panels(dashboard)) {
                String where = file + " panel '" + panel.get("title") + "'";
                assertThat(ids.add(panel.get("id")))
                        .as("%s: id used twice", where)
                        .isTrue();
                Map<String, Object> grid = YamlDocuments.map(panel, "gridPos");
                assertThat((Integer) grid.get("x") + (Integer) grid.get("w"))
                        .as("%s fits in 24 columns", where)
                        .isLessThanOrEqualTo(24);
                if ("row".equals(panel.get("type"))) {
                    // a row only lays out the panels under it: no datasource, no query
                    assertThat(panel).as(where).doesNotContainKey("targets");
                    continue;
                }
                assertThat(datasourceUid(panel.get("datasource")))
                        .as("%s datasource", where)
                        .isEqualTo("${" + GrafanaDashboards.DATASOURCE_VARIABLE + "}");
                List<Object> targets = YamlDocuments.list(panel, "targets");
                assertThat(targets).as("%s queries", where).isNotEmpty();
                Set<Object> refIds = new HashSet<>();
                for (Object target : targets) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> query = (Map<String, Object>) target;
                    assertThat(query.get("expr"))
                            .as("%s expr", where)
                            .asString()
                            .isNotBlank();
                    assertThat(refIds.add(query.get("refId")))
                            .as("%s refId", where)
                            .isTrue();
                    if (query.containsKey("datasource")) {
                        assertThat(datasourceUid(query.get("datasource")))
                                .as("%s query datasource", where)
                                .isEqualTo(datasourceUid(panel.get("datasource")));
                    }
                }
            }
        });
    }

    @Test
    void theDatasourceVariableStartsAtThePrometheusComposeProvisions() {
        dashboards.forEach((file, dashboard) -> {
            Map<String, Object> variable = variables(dashboard).get(GrafanaDashboards.DATASOURCE_VARIABLE);
            assertThat(variable)
                    .as("%s: %s variable", file, GrafanaDashboards.DATASOURCE_VARIABLE)
                    .isNotNull();
            assertThat(variable).containsEntry("type", "datasource").containsEntry("query", "prometheus");
            assertThat(YamlDocuments.map(variable, "current")).containsEntry("value", GrafanaDashboards.DATASOURCE_UID);
        });
    }

    @Test
    void everyVariableAQueryUsesIsDefined() {
        dashboards.forEach((file, dashboard) -> {
            Set<String> defined = new HashSet<>(variables(dashboard).keySet());
            defined.addAll(BUILT_IN_VARIABLES);
            for (String query : queries(dashboard)) {
                Matcher variable = VARIABLE.matcher(query);
                while (variable.find()) {
                    String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
                    assertThat(defined).as("%s: $%s in %s", file, name, query).contains(name);
                }
            }
        });
    }

    @Test
    void everyProcessHasItsDashboardAndTheOverviewShowsThePipelineAtAGlance() {
        Set<Object> uids = new HashSet<>();
        dashboards.values().forEach(dashboard -> uids.add(dashboard.get("uid")));
        for (BulwarkService process : BulwarkService.values()) {
            assertThat(uids).contains(GrafanaDashboards.uid(process));
        }
        Map<String, Object> overview = dashboards.get(Path.of("overview.json"));
        assertThat(overview).containsEntry("uid", "bulwark-overview");
        Set<String> read = new TreeSet<>();
        queries(overview).forEach(query -> read.addAll(PromQlMetricNames.in(query)));
        assertThat(read)
                .as("the overview: request rate and latency, consumer lag, the outbox, dead letters, remediation"
                        + " deadlines, sign-outs and the bridge's failures and delay")
                .contains(
                        "http_server_requests_seconds_count",
                        "http_server_requests_seconds_sum",
                        "kafka_consumer_fetch_manager_records_lag_max",
                        "bulwark_outbox_oldest_age_seconds",
                        "bulwark_outbox_published_total",
                        "bulwark_consumer_dead_letters_total",
                        "bulwark_compliance_remediation_pending",
                        "bulwark_compliance_remediation_overdue_seconds",
                        "signouts_carried_out_total",
                        "signouts_provider_failures_total",
                        "signout_bridge_delay_seconds_bucket");
    }

    @Test
    void everyMetricTheDashboardsAndAlertsReadIsInTheExportedList() {
        Set<String> listed = new HashSet<>();
        exportedMetrics().values().forEach(listed::addAll);

        metricsRead().forEach((metric, readers) -> assertThat(listed)
                .as(
                        "%s (read by %s) is not in %s: is it exported? (see that file's comment)",
                        metric, readers, GrafanaDashboards.FOLDER.resolveSibling("exported-metrics.txt"))
                .contains(metric));
    }

    @Test
    void everyListedMetricIsReadByADashboardOrAnAlert() {
        Map<String, List<String>> read = metricsRead();
        exportedMetrics().forEach((section, names) -> assertThat(read.keySet())
                .as("names listed under [%s] that no dashboard or alert reads: remove them", section)
                .containsAll(names));
    }

    @Test
    void theExportedListHasItsSectionsAndEachNameOnce() {
        Map<String, List<String>> sections = exportedMetrics();
        assertThat(sections.keySet()).containsExactlyInAnyOrderElementsOf(SECTIONS);
        Set<String> seen = new HashSet<>();
        sections.forEach((section, names) -> {
            assertThat(names).as("[%s]", section).isNotEmpty();
            for (String name : names) {
                assertThat(name).as("[%s]", section).matches(METRIC_NAME);
                assertThat(seen.add(name)).as("%s is listed twice", name).isTrue();
            }
        });
        assertThat(sections.get("prometheus")).containsExactly("up");
        assertThat(sections.get("signout-bridge")).allMatch(name -> name.startsWith("signout"));
    }

    @Test
    void theKustomizationMakesAConfigMapOfEveryDashboardFile() {
        String kustomization = GrafanaDashboards.kustomization();
        for (Path file : dashboards.keySet()) {
            assertThat(kustomization).contains("=dashboards/" + file + "\n");
        }
        assertThat(kustomization.lines().filter(line -> line.contains("=dashboards/")))
                .hasSize(dashboards.size());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Each metric name a dashboard or alert reads, with who reads it. */
    private static Map<String, List<String>> metricsRead() {
        Map<String, List<String>> read = new TreeMap<>();
        dashboards.forEach((file, dashboard) -> {
            for (Map<String, Object> panel : panels(dashboard)) {
                for (Object target : YamlDocuments.list(panel, "targets")) {
                    @SuppressWarnings("unchecked")
                    String expr = String.valueOf(((Map<String, Object>) target).get("expr"));
                    PromQlMetricNames.in(expr).forEach(metric -> read.computeIfAbsent(metric, m -> new ArrayList<>())
                            .add(file + " '" + panel.get("title") + "'"));
                }
            }
            variables(dashboard).forEach((name, variable) -> {
                if ("query".equals(variable.get("type"))) {
                    PromQlMetricNames.inVariableQuery(variableQuery(variable))
                            .forEach(metric -> read.computeIfAbsent(metric, m -> new ArrayList<>())
                                    .add(file + " $" + name));
                }
            });
        });
        Map<String, Object> rules = YamlDocuments.file(DeployFolder.resolve("prometheus/alerts.yml"));
        for (Object group : YamlDocuments.list(rules, "groups")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) group;
            for (Object rule : YamlDocuments.list(fields, "rules")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> ruleFields = (Map<String, Object>) rule;
                String name = String.valueOf(ruleFields.getOrDefault("alert", ruleFields.get("record")));
                PromQlMetricNames.in(String.valueOf(ruleFields.get("expr")))
                        .forEach(metric -> read.computeIfAbsent(metric, m -> new ArrayList<>())
                                .add("alerts.yml " + name));
            }
        }
        assertThat(read).as("metric names read").isNotEmpty();
        return read;
    }

    /** The names of grafana/exported-metrics.txt by section, in the file's order. */
    static Map<String, List<String>> exportedMetrics() {
        Path file = DeployFolder.path().resolve(GrafanaDashboards.FOLDER).resolveSibling("exported-metrics.txt");
        Map<String, List<String>> sections = new LinkedHashMap<>();
        String section = null;
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1);
                    assertThat(sections.put(section, new ArrayList<>()))
                            .as("section [%s] twice", section)
                            .isNull();
                    continue;
                }
                assertThat(section)
                        .as("%s: '%s' before the first [section]", file, line)
                        .isNotNull();
                sections.get(section).add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sections;
    }

    /** Every panel of a dashboard, those under a collapsed row too. */
    private static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
        List<Map<String, Object>> panels = new ArrayList<>();
        for (Object panel : YamlDocuments.list(dashboard, "panels")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) panel;
            panels.add(fields);
            for (Object nested : YamlDocuments.list(fields, "panels")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nestedFields = (Map<String, Object>) nested;
                panels.add(nestedFields);
            }
        }
        return panels;
    }

    /** The dashboard's template variables by name. */
    private static Map<String, Map<String, Object>> variables(Map<String, Object> dashboard) {
        Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
        for (Object variable : YamlDocuments.list(YamlDocuments.map(dashboard, "templating"), "list")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) variable;
            variables.put(String.valueOf(fields.get("name")), fields);
        }
        return variables;
    }

    /** Every PromQL text of a dashboard: the panels' queries and the query variables'. */
    private static List<String> queries(Map<String, Object> dashboard) {
        List<String> queries = new ArrayList<>();
        for (Map<String, Object> panel : panels(dashboard)) {
            for (Object target : YamlDocuments.list(panel, "targets")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> query = (Map<String, Object>) target;
                queries.add(String.valueOf(query.get("expr")));
            }
        }
        variables(dashboard).values().stream()
                .filter(variable -> "query".equals(variable.get("type")))
                .map(DashboardsTest::variableQuery)
                .forEach(queries::add);
        return queries;
    }

    /** A query variable's PromQL: a string, or (as newer Grafana writes it) an object with a {@code query}. */
    private static String variableQuery(Map<String, Object> variable) {
        Object query = variable.get("query");
        if (query instanceof Map<?, ?> object) {
            return String.valueOf(object.get("query"));
        }
        return String.valueOf(query);
    }

    /** A datasource reference's uid: {@code {"type": ..., "uid": ...}} or, in older dashboards, a bare string. */
    private static Object datasourceUid(Object datasource) {
        if (datasource instanceof Map<?, ?> reference) {
            return reference.get("uid");
        }
        return datasource;
    }
}
