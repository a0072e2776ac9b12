package dev.bulwark.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.TopicSpec;
import dev.bulwark.deploy.BulwarkService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build script and the topic script, run for real (the image build as a dry run: no Docker engine here),
 * and the Dockerfile they use.
 */
class ScriptsTest {

    @Test
    void theBuildScriptTagsOneImagePerServiceWithTheProjectVersion() {
        List<String> expected = java.util.Arrays.stream(BulwarkService.values())
                .map(s -> "bulwark/" + s.moduleName() + ":" + BuildScriptImages.projectVersion())
                .toList();

        assertThat(BuildScriptImages.defined()).containsExactlyElementsOf(expected);
    }

    @Test
    void theBuildScriptBuildsEachServiceFromItsFastJarWithItsPortAndPushesOnlyWhenAsked() {
        Processes.Result dryRun =
                Processes.run(DeployFolder.path(), Map.of(), List.of("bash", "docker/build-images.sh", "--dry-run"));
        Processes.Result push = Processes.run(
                DeployFolder.path(),
                Map.of("BULWARK_IMAGE_PREFIX", "ghcr.io/acme/bulwark", "BULWARK_VERSION", "1.2.3"),
                List.of("bash", "docker/build-images.sh", "--dry-run", "--push", "policy-service"));

        assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
        List<String> builds = dryRun.stdout().lines().toList();
        assertThat(builds).hasSize(BulwarkService.values().length).noneMatch(line -> line.contains(" push "));
        // The script names absolute paths under the repository root; compare what follows the root.
        for (BulwarkService service : BulwarkService.values()) {
            assertThat(builds).anySatisfy(line -> assertThat(line)
                    .startsWith("env DOCKER_BUILDKIT=1 docker build -f /")
                    .contains("/deploy/docker/Dockerfile.jvm --build-arg SERVICE=" + service.moduleName()
                            + " --build-arg PORT=" + service.defaultPort() + " --build-arg VERSION="
                            + BuildScriptImages.projectVersion() + " -t bulwark/" + service.moduleName()
                            + ":" + BuildScriptImages.projectVersion() + " /")
                    .endsWith("/" + service.moduleName()));
        }
        assertThat(push.exitCode()).as(push.stderr()).isZero();
        List<String> pushLines = push.stdout().lines().toList();
        assertThat(pushLines).hasSize(2);
        assertThat(pushLines.get(0))
                .contains(" --build-arg SERVICE=policy-service --build-arg PORT=8083 --build-arg VERSION=1.2.3"
                        + " -t ghcr.io/acme/bulwark/policy-service:1.2.3 /")
                .endsWith("/policy-service");
        assertThat(pushLines.get(1)).isEqualTo("docker push ghcr.io/acme/bulwark/policy-service:1.2.3");
    }

    @Test
    void theBuildScriptRefusesAnUnknownService() {
        Processes.Result result = Processes.run(
                DeployFolder.path(), Map.of(), List.of("bash", "docker/build-images.sh", "--dry-run", "billing"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("unknown service 'billing'");
    }

    @Test
    void theDockerfileRunsTheFastJarAsANonRootUserAndChecksReadiness() throws IOException {
        String dockerfile = Files.readString(DeployFolder.resolve("docker/Dockerfile.jvm"));

        assertThat(dockerfile)
                .contains("ARG BASE_IMAGE=eclipse-temurin:17-jre")
                .contains("COPY --chown=10001:10001 target/quarkus-app/lib/ /deployments/lib/")
                .contains("COPY --chown=10001:10001 target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar")
                .contains("COPY --chown=10001:10001 target/quarkus-app/app/ /deployments/app/")
                .contains("COPY --chown=10001:10001 target/quarkus-app/quarkus/ /deployments/quarkus/")
                .contains("-jar /deployments/quarkus-run.jar")
                .containsPattern("(?m)^HEALTHCHECK .*\\n.*/q/health/ready");
        List<String> users =
                dockerfile.lines().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).containsExactly("USER " + ServiceManifests.RUN_AS_USER + ":" + ServiceManifests.RUN_AS_USER);
        assertThat(dockerfile.lastIndexOf("USER ")).isGreaterThan(dockerfile.lastIndexOf("RUN "));
    }

    @Test
    void theTopicScriptCreatesEveryTopicWithItsPartitionCount(@TempDir Path dir) throws IOException {
        Path calls = dir.resolve("calls.txt");
        Path stub = dir.resolve("kafka-topics.sh");
        Files.writeString(stub, "#!/bin/sh\necho \"$*\" >> " + calls + "\n");
        stub.toFile().setExecutable(true);

        Processes.Result result = Processes.run(
                DeployFolder.path(),
                Map.of("KAFKA_TOPICS", stub.toString(), "BULWARK_TOPIC_REPLICATION", "3"),
                List.of("sh", "docker/create-topics.sh", "broker-1:9092"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines).hasSize(TopicManifests.topics().size());
        for (TopicSpec topic : TopicManifests.topics()) {
            assertThat(lines)
                    .contains("--bootstrap-server broker-1:9092 --create --if-not-exists --topic " + topic.name()
                            + " --partitions " + topic.partitions() + " --replication-factor 3");
        }
    }

    @Test
    void theTopicScriptStopsAtTheFirstFailure(@TempDir Path dir) throws IOException {
        Path stub = dir.resolve("kafka-topics.sh");
        Files.writeString(stub, "#!/bin/sh\necho 'broker not available' >&2\nexit 1\n");
        stub.toFile().setExecutable(true);

        Processes.Result result = Processes.run(
                DeployFolder.path(),
                Map.of("KAFKA_TOPICS", stub.toString()),
                List.of("sh", "docker/create-topics.sh", "kafka:9092"));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stdout()).doesNotContain("topics exist");
    }
}
