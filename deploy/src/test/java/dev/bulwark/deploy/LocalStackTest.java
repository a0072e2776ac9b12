package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {

    @TempDir
    Path data;

    @Test
    void servicesGetTheLeanJvmOptionsUnlessTheEnvironmentReplacesThem() {
        assertThat(LocalStack.serviceJvmOptions(Map.of())).isEqualTo(StackConfig.DEFAULT_SERVICE_JVM_OPTIONS);
        assertThat(LocalStack.serviceJvmOptions(Map.of(LocalStack.SERVICE_JAVA_OPTS_ENV, "  ")))
                .isEqualTo(StackConfig.DEFAULT_SERVICE_JVM_OPTIONS);
        assertThat(LocalStack.serviceJvmOptions(
                        Map.of(LocalStack.SERVICE_JAVA_OPTS_ENV, " -Xmx512m  -agentlib:jdwp=transport=dt_socket ")))
                .containsExactly("-Xmx512m", "-agentlib:jdwp=transport=dt_socket");
    }

    @Test
    void theTokenCommandSignsWithTheDataFoldersKeyAndPrintsOnlyTheToken() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Command command = CommandLine.parse(
                java.util.List.of(
                        "token",
                        "--tenant",
                        "acme",
                        "--role",
                        "user",
                        "--subject",
                        "alice",
                        "--data-dir",
                        data.toString()),
                Map.of(),
                Path.of("/repo"));

        int exitCode = LocalStack.run(command, Path.of("/repo"), new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isZero();
        String token = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8))
                .contains("\"tenant_id\":\"acme\"", "\"sub\":\"alice\"", "\"groups\":[\"user\"]");
        // The key pair the next `up` will hand to the services.
        assertThat(data.resolve("keys/jwt-public.pem")).exists();
    }

    @Test
    void theRepositoryRootComesFromTheScriptsProperty() {
        String before = System.getProperty(LocalStack.ROOT_PROPERTY);
        try {
            System.setProperty(LocalStack.ROOT_PROPERTY, "/some/where/../repo");
            assertThat(LocalStack.repositoryRoot()).isEqualTo(Path.of("/some/repo"));
        } finally {
            if (before == null) {
                System.clearProperty(LocalStack.ROOT_PROPERTY);
            } else {
                System.setProperty(LocalStack.ROOT_PROPERTY, before);
            }
        }
    }
}
