package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric names Bulwark's Grafana dashboards and alert rules read are ones the running processes export: the four
 * services and the gateway start from their packaged jars, serve a little traffic (so that meters registered at first
 * use exist), and every name under {@code [services]} of {@code deploy/grafana/exported-metrics.txt} must be on the
 * {@code /q/metrics} of at least one of them. deploy's {@code DashboardsTest} checks, offline, that the dashboards and
 * alerts read no name outside that list.
 *
 * <p>Not checked here, as the list's own sections say: {@code [signout-bridge]} (the bridge runs only beside
 * Keycloak, which this scenario does not start; its own tests read its counters), {@code [after-rare-events]} (a
 * dead letter, which this scenario does not provoke) and {@code [prometheus]} ({@code up}, made by Prometheus).
 */
class MetricNamesScenariosIT {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Micrometer's Kafka binder looks at a client's metrics again every 60 s; names that appear late (a series of a
     * topic, a meter registered at first use) get two of its looks.
     */
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(150);

    private static final Path EXPORTED_METRICS = Path.of("deploy", "grafana", "exported-metrics.txt");

    private static final Set<BulwarkService> RUNNING = EnumSet.of(
            BulwarkService.DEVICE_REGISTRY,
            BulwarkService.ASSIGNMENT_SERVICE,
            BulwarkService.POLICY_SERVICE,
            BulwarkService.COMPLIANCE_SERVICE,
            BulwarkService.GATEWAY);

    @TempDir
    static Path dataDir;

    private static RunningStack stack;

    @BeforeAll
    static void startStack() {
        stack = ScenarioStack.start(dataDir, RUNNING);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyMetricNameTheDashboardsAndAlertsReadIsExportedByARunningService() throws IOException {
        Map<String, List<String>> sections =
                exportedMetrics(ScenarioStack.repositoryRoot().resolve(EXPORTED_METRICS));
        assertThat(sections)
                .as("sections of %s", EXPORTED_METRICS)
                .containsKeys("services", "after-rare-events", "signout-bridge", "prometheus");
        List<String> required = sections.get("services");
        assertThat(required).isNotEmpty();

        causeTraffic();

        try {
            await("every name of [services] on some /q/metrics")
                    .atMost(METRICS_TIMEOUT)
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> missing(required, scrapeAll()).isEmpty());
        } catch (ConditionTimeoutException e) {
            // reported below, naming each missing metric
        }
        Map<BulwarkService, Set<String>> exported = scrapeAll();
        List<String> missing = missing(required, exported);
        assertThat(missing)
                .as(
                        "metric names under [services] of %s that none of %s exports (dashboards or alerts read them:"
                                + " fix the name, or move it to the section that says why it is absent); names alike"
                                + " that they do export: %s",
                        EXPORTED_METRICS, RUNNING, alike(missing, exported))
                .isEmpty();
    }

    /**
     * One user, one enrolled phone, a check-in below the baseline's minimum OS (14) with the phone's own credential,
     * which compliance-service answers with a sign-out; then a compliant check-in, which restores the phone (the first
     * restore is what registers compliance-service's late-fix counter). Through the gateway, the one address, so that
     * it serves requests too.
     */
    private static void causeTraffic() {
        String tenant = "metrics-" + UUID.randomUUID();
        String admin = stack.adminToken(tenant);
        String gateway = stack.url(BulwarkService.GATEWAY);
        String user = "user-" + UUID.randomUUID();

        ScenarioTenant metered = new ScenarioTenant(stack, tenant, admin);
        metered.createUser(user);
        ScenarioTenant.ManagedPhone phone = metered.enrollPhone(user);
        String deviceId = phone.deviceId();

        metered.checkIn(phone, "12");
        awaitSubjectState(gateway, admin, deviceId, "SIGNED_OUT");
        metered.checkIn(phone, "14");
        awaitSubjectState(gateway, admin, deviceId, "COMPLIANT");
    }

    /** compliance-service learns of the check-in through bulwark.devices.v1: ask until it shows the state. */
    private static void awaitSubjectState(String gateway, String admin, String deviceId, String state) {
        await("compliance-service shows " + deviceId + " " + state)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Response subject = given().auth().oauth2(admin).get(gateway + "/api/v1/subjects/" + deviceId);
                    return subject.statusCode() == 200
                            && state.equals(subject.jsonPath().getString("state"));
                });
    }

    /** The metric names on each running process's /q/metrics. */
    private static Map<BulwarkService, Set<String>> scrapeAll() {
        Map<BulwarkService, Set<String>> exported = new TreeMap<>();
        for (BulwarkService service : RUNNING) {
            String metrics = given().get(stack.url(service) + "/q/metrics")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            exported.put(service, names(metrics));
        }
        return exported;
    }

    /** The series names of a Prometheus text exposition: each sample line's name, without labels or value. */
    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            String sample = line.strip();
            if (sample.isEmpty() || sample.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < sample.length() && sample.charAt(end) != '{' && !Character.isWhitespace(sample.charAt(end))) {
                end++;
            }
            names.add(sample.substring(0, end));
        }
        return names;
    }

    private static List<String> missing(List<String> required, Map<BulwarkService, Set<String>> exported) {
        List<String> missing = new ArrayList<>();
        for (String name : required) {
            if (exported.values().stream().noneMatch(names -> names.contains(name))) {
                missing.add(name);
            }
        }
        return missing;
    }

    /**
     * For each missing name, the names each process exports that share its first three words (for
     * {@code bulwark_outbox_oldest_age_seconds}: {@code bulwark_outbox_oldest*}), to tell a misspelt name from a meter
     * that is absent.
     */
    private static Map<String, Map<String, Set<String>>> alike(
            List<String> missing, Map<BulwarkService, Set<String>> exported) {
        Map<String, Map<String, Set<String>>> alike = new LinkedHashMap<>();
        for (String name : missing) {
            String[] words = name.split("_");
            String prefix = String.join("_", List.of(words).subList(0, Math.min(3, words.length)));
            Map<String, Set<String>> byProcess = new LinkedHashMap<>();
            exported.forEach((service, names) -> {
                Set<String> similar = names.stream()
                        .filter(other -> other.startsWith(prefix))
                        .collect(Collectors.toCollection(TreeSet::new));
                if (!similar.isEmpty()) {
                    byProcess.put(service.moduleName(), similar);
                }
            });
            alike.put(name, byProcess);
        }
        return alike;
    }

    /**
     * The names of exported-metrics.txt by section: {@code [section]} lines open a section, {@code #} lines are
     * comments, every other line is one metric name.
     */
    static Map<String, List<String>> exportedMetrics(Path file) throws IOException {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new ArrayList<>();
                sections.put(line.substring(1, line.length() - 1), current);
            } else {
                assertThat(current)
                        .as("%s: '%s' comes before the first [section]", file, line)
                        .isNotNull();
                current.add(line);
            }
        }
        return sections;
    }
}
