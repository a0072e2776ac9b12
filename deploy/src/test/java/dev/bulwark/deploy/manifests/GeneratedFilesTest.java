package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.contract.TopicSpec;
import dev.bulwark.deploy.BulwarkService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generated deployment files are what the catalogues say today. With {@code -Dbulwark.regenerate=true} this test
 * rewrites them instead (see {@link GeneratedFiles#REGENERATE_COMMAND}).
 */
class GeneratedFilesTest {

    @Test
    void committedGeneratedFilesMatchTheCatalogues() throws IOException {
        boolean regenerate = Boolean.getBoolean("bulwark.regenerate");
        for (GeneratedFile file : GeneratedFiles.all(DeployFolder.path())) {
            Path path = DeployFolder.path().resolve(file.path());
            if (regenerate) {
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.content());
                if (path.toString().endsWith(".sh")) {
                    path.toFile().setExecutable(true);
                }
            }
            assertThat(path)
                    .as("%s is missing; run %s", file.path(), GeneratedFiles.REGENERATE_COMMAND)
                    .exists();
            assertThat(Files.readString(path))
                    .as("%s is out of date; run %s", file.path(), GeneratedFiles.REGENERATE_COMMAND)
                    .isEqualTo(file.content());
        }
    }

    @Test
    void everyGeneratedFileSaysSoAndHowToRegenerateIt() {
        List<GeneratedFile> files = GeneratedFiles.all(DeployFolder.path());

        assertThat(files)
                .extracting(f -> f.path().toString().replace('\\', '/'))
                .contains(
                        "k8s/base/kafka-topics.yaml",
                        "docker/create-topics.sh",
                        "docker/postgres-init/01-create-databases.sql",
                        "k8s/base/services/device-registry.yaml",
                        "k8s/base/services/compliance-service.yaml",
                        "k8s/base/gateway.yaml",
                        "k8s/base/signout-bridge.yaml",
                        "k8s/base/prometheus-rules.yaml");
        assertThat(files).allSatisfy(file -> assertThat(file.content().lines().limit(3))
                .anySatisfy(line -> assertThat(line).contains("GENERATED").contains("Do not edit"))
                .anySatisfy(line -> assertThat(line).contains(GeneratedFiles.REGENERATE_COMMAND)));
    }

    @Test
    void theStrimziTopicsAndTheComposeScriptNameTheSameTopicsWithTheSamePartitions() {
        String strimzi = TopicManifests.strimziTopics();
        String script = TopicManifests.createTopicsScript();

        // the eight topics of the catalogue, and the dead-letter topics of the four services and the sign-out bridge
        assertThat(TopicManifests.topics()).hasSize(8 + 5);
        for (TopicSpec topic : TopicManifests.topics()) {
            assertThat(strimzi)
                    .contains("  topicName: " + topic.name() + "\n  partitions: " + topic.partitions() + "\n");
            assertThat(script).contains("\ncreate " + topic.name() + " " + topic.partitions() + "\n");
        }
    }

    @Test
    void thePrometheusRuleCarriesTheGroupsOfTheRulesFileUnchanged() {
        Map<String, Object> rulesFile = YamlDocuments.file(DeployFolder.resolve("prometheus/alerts.yml"));
        List<Map<String, Object>> rule =
                YamlDocuments.all(AlertRuleManifests.file(DeployFolder.path()).content());

        assertThat(rulesFile).containsOnlyKeys("groups");
        assertThat(rule).hasSize(1);
        assertThat(rule.get(0)).containsEntry("kind", "PrometheusRule");
        assertThat(YamlDocuments.map(rule.get(0), "spec")).isEqualTo(rulesFile);
    }

    @Test
    void aRulesFileThatDoesNotStartWithItsGroupsIsRefused() {
        assertThatThrownBy(() -> AlertRuleManifests.prometheusRule("# rules\nrule_files: []\ngroups: []\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("groups:");
    }

    @Test
    void thePostgresInitScriptCreatesOneDatabasePerService() {
        String sql = DatabaseInitScript.sql();

        for (BulwarkService service : BulwarkService.services()) {
            assertThat(sql).contains("CREATE DATABASE " + service.database() + ";");
        }
        assertThat(sql.lines().filter(line -> line.startsWith("CREATE DATABASE")))
                .hasSize(4);
    }
}
