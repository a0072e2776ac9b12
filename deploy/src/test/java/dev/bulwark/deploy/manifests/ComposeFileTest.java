package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.deploy.BulwarkService;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml read as data: the four services on the images the build makes, each started only after
 * PostgreSQL and Kafka are healthy and the topics exist, configured by environment, probed on its readiness endpoint;
 * Kafka in KRaft mode from the official image; Prometheus and Grafana (provisioned with it and the dashboards) only in
 * the monitoring profile, and the sign-out bridge only in the idp profile (compose runs no identity provider for it).
 * ({@code docker-compose config -q}, the schema check, runs in deploy/validate.sh.)
 */
class ComposeFileTest {

    private static final Pattern DEFAULTED_VARIABLE = Pattern.compile("\\$\\{([A-Z_]+):-([^}]*)}");
    private static Map<String, Object> services;

    @BeforeAll
    static void readComposeFile() {
        Map<String, Object> compose = YamlDocuments.file(DeployFolder.resolve("docker-compose.yml"));
        services = YamlDocuments.map(compose, "services");
        assertThat(YamlDocuments.map(compose, "volumes")).containsKeys("kafka-data", "postgres-data");
    }

    @Test
    void everyServiceStartsOnlyOnceKafkaAndPostgresAreHealthyAndTheTopicsExist() {
        for (BulwarkService service : BulwarkService.services()) {
            Map<String, Object> dependsOn = YamlDocuments.map(service(service.moduleName()), "depends_on");

            assertThat(dependsOn).as("%s depends_on", service.moduleName()).hasSize(3);
            assertThat(YamlDocuments.map(dependsOn, "postgres")).containsEntry("condition", "service_healthy");
            assertThat(YamlDocuments.map(dependsOn, "kafka")).containsEntry("condition", "service_healthy");
            assertThat(YamlDocuments.map(dependsOn, "kafka-topics"))
                    .containsEntry("condition", "service_completed_successfully");
        }
        assertThat(YamlDocuments.map(YamlDocuments.map(service("kafka-topics"), "depends_on"), "kafka"))
                .containsEntry("condition", "service_healthy");
        assertThat(YamlDocuments.map(service("kafka"), "healthcheck")).containsKey("test");
        assertThat(String.valueOf(
                        YamlDocuments.map(service("postgres"), "healthcheck").get("test")))
                .contains("pg_isready -h 127.0.0.1");
    }

    @Test
    void theServicesRunTheImagesTheBuildScriptMakesAndEverythingElseIsPinned() {
        for (BulwarkService service : BulwarkService.values()) {
            assertThat(withDefaults((String) service(service.moduleName()).get("image")))
                    .as("%s image", service.moduleName())
                    .isIn(BuildScriptImages.defined());
        }
        assertThat(service("kafka").get("image")).isEqualTo("apache/kafka:4.1.1");
        assertThat(service("kafka-topics").get("image")).isEqualTo("apache/kafka:4.1.1");
        assertThat((String) service("postgres").get("image")).matches("postgres:1[78](\\.\\d+)*");
        assertThat((String) service("prometheus").get("image")).matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+");
        assertThat((String) service("grafana").get("image")).matches("grafana/grafana:1[12]\\.\\d+\\.\\d+");
        assertThat(services).hasSize(BulwarkService.values().length + 5);
    }

    @Test
    void everyServiceIsConfiguredByItsEnvironmentAndProbedOnItsReadinessEndpoint() {
        for (BulwarkService service : BulwarkService.services()) {
            String name = service.moduleName();
            Map<String, Object> definition = service(name);
            Map<String, Object> env = YamlDocuments.map(definition, "environment");
            String port = Integer.toString(service.defaultPort());

            assertThat(env.get("QUARKUS_HTTP_PORT")).isEqualTo(port);
            assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL"))
                    .isEqualTo("jdbc:postgresql://postgres:5432/" + service.database());
            assertThat(env).containsKeys("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
            assertThat(env.get("MP_JWT_VERIFY_ISSUER")).isEqualTo("https://bulwark.local");
            String keyLocation = (String) env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
            assertThat(YamlDocuments.list(definition, "volumes"))
                    .as("%s mounts the JWT public key where it reads it", name)
                    .anySatisfy(volume -> assertThat(withDefaults((String) volume))
                            .isEqualTo("../.local-stack/keys/jwt-public.pem:" + keyLocation + ":ro"));
            assertThat(YamlDocuments.list(definition, "ports")).containsExactly(port + ":" + port);

            String healthcheck =
                    String.valueOf(YamlDocuments.map(definition, "healthcheck").get("test"));
            assertThat(healthcheck).contains("/dev/tcp/127.0.0.1/" + port).contains("GET /q/health/ready ");
            assertThat(definition).containsEntry("read_only", true);
        }
    }

    @Test
    void theGatewayStartsOnceEveryServiceIsReadyAndPointsAtEachServicesPort() {
        Map<String, Object> gateway = service("gateway");
        Map<String, Object> dependsOn = YamlDocuments.map(gateway, "depends_on");
        Map<String, Object> env = YamlDocuments.map(gateway, "environment");
        for (BulwarkService service : BulwarkService.services()) {
            assertThat(YamlDocuments.map(dependsOn, service.moduleName()))
                    .as("gateway waits for %s", service.moduleName())
                    .containsEntry("condition", "service_healthy");
            assertThat(env.get("BULWARK_GATEWAY_UPSTREAM_" + service.name()))
                    .isEqualTo("http://" + service.moduleName() + ":" + service.defaultPort());
        }
        String port = Integer.toString(BulwarkService.GATEWAY.defaultPort());
        assertThat(env.get("QUARKUS_HTTP_PORT")).isEqualTo(port);
        assertThat(env).as("the gateway needs no database, Kafka or key").hasSize(5);
        assertThat(YamlDocuments.list(gateway, "ports")).containsExactly(port + ":" + port);
        assertThat(String.valueOf(YamlDocuments.map(gateway, "healthcheck").get("test")))
                .contains("/dev/tcp/127.0.0.1/" + port)
                .contains("GET /q/health/ready ");
        assertThat(gateway).containsEntry("read_only", true);
    }

    @Test
    void kafkaRunsInKraftModeAndTheTopicsComeFromTheGeneratedScript() {
        Map<String, Object> kafka = YamlDocuments.map(service("kafka"), "environment");
        assertThat(kafka)
                .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .containsKeys("CLUSTER_ID", "KAFKA_CONTROLLER_QUORUM_VOTERS")
                .doesNotContainKey("KAFKA_ZOOKEEPER_CONNECT");
        assertThat((String) kafka.get("KAFKA_ADVERTISED_LISTENERS")).contains("kafka:9092");

        Map<String, Object> topics = service("kafka-topics");
        assertThat(YamlDocuments.list(topics, "volumes"))
                .containsExactly("./docker/create-topics.sh:/opt/bulwark/create-topics.sh:ro");
        assertThat(YamlDocuments.list(topics, "entrypoint"))
                .containsExactly("/bin/sh", "/opt/bulwark/create-topics.sh", "kafka:9092");
        assertThat(DeployFolder.resolve("docker/create-topics.sh")).exists();
    }

    @Test
    void postgresCreatesOneDatabasePerServiceOnItsFirstStart() throws Exception {
        assertThat(YamlDocuments.list(service("postgres"), "volumes"))
                .contains("./docker/postgres-init:/docker-entrypoint-initdb.d:ro");
        String sql = Files.readString(DeployFolder.resolve("docker/postgres-init/01-create-databases.sql"));

        for (BulwarkService service : BulwarkService.services()) {
            assertThat(sql).contains("CREATE DATABASE " + service.database() + ";");
        }
    }

    @Test
    void theSignOutBridgeRunsOnlyInTheIdpProfileAfterKafkaAndItsTopicsWithNoSecretCommitted() {
        BulwarkService bridge = BulwarkService.SIGNOUT_BRIDGE;
        Map<String, Object> definition = service(bridge.moduleName());
        String port = Integer.toString(bridge.defaultPort());

        assertThat(YamlDocuments.list(definition, "profiles")).containsExactly("idp");
        Map<String, Object> dependsOn = YamlDocuments.map(definition, "depends_on");
        assertThat(dependsOn).as("the bridge has no database").containsOnlyKeys("kafka", "kafka-topics");
        assertThat(YamlDocuments.map(dependsOn, "kafka")).containsEntry("condition", "service_healthy");
        assertThat(YamlDocuments.map(dependsOn, "kafka-topics"))
                .containsEntry("condition", "service_completed_successfully");

        Map<String, Object> env = YamlDocuments.map(definition, "environment");
        assertThat(env)
                .containsOnlyKeys(
                        "QUARKUS_HTTP_PORT",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_URL",
                        "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_REALM",
                        "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_ID",
                        "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_SECRET");
        assertThat(env.get("QUARKUS_HTTP_PORT")).isEqualTo(port);
        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
        // where the identity provider is comes from the environment of `docker compose`, under the same names
        for (String name : List.of(
                "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_URL",
                "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_REALM",
                "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_ID",
                "BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_SECRET")) {
            assertThat((String) env.get(name)).as(name).startsWith("${" + name + ":-");
        }
        assertThat(withDefaults((String) env.get("BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_URL")))
                .startsWith("https://");
        assertThat(withDefaults((String) env.get("BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_SECRET")))
                .as("the client secret has no default: none is committed")
                .isEmpty();

        assertThat(definition).doesNotContainKey("volumes");
        assertThat(YamlDocuments.list(definition, "ports")).containsExactly("127.0.0.1:" + port + ":" + port);
        assertThat(String.valueOf(YamlDocuments.map(definition, "healthcheck").get("test")))
                .contains("/dev/tcp/127.0.0.1/" + port)
                .contains("GET /q/health/ready ");
        assertThat(definition).containsEntry("read_only", true);
    }

    @Test
    void prometheusRunsOnlyInTheMonitoringProfileAndScrapesEveryService() {
        Map<String, Object> prometheus = service("prometheus");
        assertThat(YamlDocuments.list(prometheus, "profiles")).containsExactly("monitoring");
        assertThat(YamlDocuments.list(prometheus, "volumes"))
                .contains(
                        "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                        "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        // Everything else runs without a profile, but for Grafana (monitoring too, tested below) and the sign-out
        // bridge (profile idp, tested above).
        services.forEach((name, definition) -> {
            if (!List.of("prometheus", "grafana", BulwarkService.SIGNOUT_BRIDGE.moduleName())
                    .contains(name)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) definition;
                assertThat(fields).as("%s must run without a profile", name).doesNotContainKey("profiles");
            }
        });

        Map<String, Object> config = YamlDocuments.file(DeployFolder.resolve("prometheus/prometheus.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> job = (Map<String, Object>)
                YamlDocuments.list(config, "scrape_configs").get(0);
        assertThat(job).containsEntry("metrics_path", "/q/metrics");
        String targets = String.valueOf(job.get("static_configs"));
        for (BulwarkService service : BulwarkService.values()) {
            assertThat(targets).contains(service.moduleName() + ":" + service.defaultPort());
        }
        // the alert rules name a service by the target's `service` label, as a ServiceMonitor sets it on Kubernetes
        assertThat(YamlDocuments.list(config, "rule_files")).containsExactly("alerts.yml");
        for (Object staticConfig : YamlDocuments.list(job, "static_configs")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> targetGroup = (Map<String, Object>) staticConfig;
            String target =
                    String.valueOf(YamlDocuments.list(targetGroup, "targets").get(0));
            assertThat(YamlDocuments.map(targetGroup, "labels"))
                    .containsEntry("service", target.substring(0, target.indexOf(':')));
        }
    }

    @Test
    void grafanaRunsInTheMonitoringProfileWithThePrometheusDatasourceAndTheDashboardsMountedReadOnly() {
        Map<String, Object> grafana = service("grafana");
        assertThat(YamlDocuments.list(grafana, "profiles")).containsExactly("monitoring");
        assertThat(YamlDocuments.list(grafana, "depends_on")).containsExactly("prometheus");
        assertThat(YamlDocuments.list(grafana, "ports")).containsExactly("127.0.0.1:3000:3000");

        Map<String, String> mounts = new HashMap<>();
        for (Object volume : YamlDocuments.list(grafana, "volumes")) {
            String[] parts = ((String) volume).split(":");
            assertThat(parts).as("%s: host path, container path, ro", volume).hasSize(3);
            assertThat(parts[2]).as("%s is read-only", volume).isEqualTo("ro");
            assertThat(DeployFolder.resolve(parts[0])).as("%s exists", parts[0]).isDirectory();
            mounts.put(parts[1], parts[0]);
        }
        assertThat(mounts)
                .containsOnlyKeys(
                        "/etc/grafana/provisioning/datasources",
                        "/etc/grafana/provisioning/dashboards",
                        "/etc/grafana/dashboards/bulwark")
                .containsEntry("/etc/grafana/dashboards/bulwark", "./" + GrafanaDashboards.FOLDER);

        // the datasource is compose's Prometheus, under the uid the dashboards start at
        Map<String, Object> datasources = YamlDocuments.file(
                DeployFolder.resolve(mounts.get("/etc/grafana/provisioning/datasources") + "/prometheus.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> prometheus = (Map<String, Object>)
                YamlDocuments.list(datasources, "datasources").get(0);
        assertThat(YamlDocuments.list(datasources, "datasources")).hasSize(1);
        assertThat(prometheus)
                .containsEntry("type", "prometheus")
                .containsEntry("uid", GrafanaDashboards.DATASOURCE_UID)
                .containsEntry("url", "http://prometheus:9090");

        // the dashboards provider reads the folder the dashboards are mounted at, and no one saves over them
        Map<String, Object> dashboards = YamlDocuments.file(
                DeployFolder.resolve(mounts.get("/etc/grafana/provisioning/dashboards") + "/bulwark.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> provider = (Map<String, Object>)
                YamlDocuments.list(dashboards, "providers").get(0);
        assertThat(provider).containsEntry("type", "file").containsEntry("allowUiUpdates", false);
        assertThat(YamlDocuments.map(provider, "options")).containsEntry("path", "/etc/grafana/dashboards/bulwark");
        String home =
                (String) YamlDocuments.map(grafana, "environment").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(DeployFolder.resolve(
                        GrafanaDashboards.FOLDER + home.substring("/etc/grafana/dashboards/bulwark".length())))
                .as("the home dashboard %s", home)
                .isRegularFile();
    }

    private static Map<String, Object> service(String name) {
        Map<String, Object> service = YamlDocuments.map(services, name);
        assertThat(service).as("compose service %s", name).isNotEmpty();
        return service;
    }

    /** The text as compose would make it with none of the BULWARK_* variables set: {@code ${X:-d}} becomes d. */
    private static String withDefaults(String text) {
        Matcher variable = DEFAULTED_VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (variable.find()) {
            variable.appendReplacement(result, Matcher.quoteReplacement(variable.group(2)));
        }
        variable.appendTail(result);
        assertThat(result.toString()).as("unresolved variable in %s", text).doesNotContain("$");
        return result.toString();
    }
}
