package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's checks and wiring that need no Kafka or PostgreSQL; the whole stack is run by scenario-tests. */
class StackLauncherTest {

    @TempDir
    Path root;

    @TempDir
    Path data;

    private StackConfig config() {
        return StackConfig.defaults(root, data, Map.of()).withPorts(StackPorts.ephemeral());
    }

    @Test
    void aMissingServiceJarIsAClearErrorBeforeAnythingStarts() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        assertThatThrownBy(() -> StackLauncher.start(
                        config().withServices(EnumSet.of(BulwarkService.POLICY_SERVICE)), new PrintStream(progress)))
                .isInstanceOf(StackStartException.class)
                .hasMessageContaining("Build the services first")
                .hasMessageContaining(root.resolve("policy-service/target/quarkus-app/quarkus-run.jar")
                        .toString())
                .hasMessageContaining("mvn -B -q install -DskipTests");
        assertThat(progress.toString()).contains("Build the services first");
        assertThat(data.resolve("kafka")).doesNotExist();
        assertThat(ProcessHandle.current().children()).isEmpty();
    }

    @Test
    void aPortInUseIsNamedBeforeAnythingStarts() throws IOException {
        fakeJar(BulwarkService.POLICY_SERVICE);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StackPorts ports = new StackPorts(0, 0, Map.of(BulwarkService.POLICY_SERVICE, taken.getLocalPort()));

            assertThatThrownBy(() -> StackLauncher.start(
                            config().withServices(EnumSet.of(BulwarkService.POLICY_SERVICE))
                                    .withPorts(ports),
                            new PrintStream(new ByteArrayOutputStream())))
                    .isInstanceOf(StackStartException.class)
                    .hasMessageContaining("policy-service " + taken.getLocalPort())
                    .hasMessageContaining("already in use");
        }
        assertThat(data.resolve("kafka")).doesNotExist();
    }

    @Test
    void aSecondReplicasPortInUseIsNamedBeforeAnythingStarts() throws IOException {
        fakeJar(BulwarkService.POLICY_SERVICE);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // the second replica listens 100 above the service's port: on the taken one
            int servicePort = taken.getLocalPort() - StackConfig.REPLICA_PORT_STEP;
            StackPorts ports = new StackPorts(0, 0, Map.of(BulwarkService.POLICY_SERVICE, servicePort));

            assertThatThrownBy(() -> StackLauncher.start(
                            config().withServices(EnumSet.of(BulwarkService.POLICY_SERVICE))
                                    .withPorts(ports)
                                    .withReplicas(BulwarkService.POLICY_SERVICE, 2),
                            new PrintStream(new ByteArrayOutputStream())))
                    .isInstanceOf(StackStartException.class)
                    .hasMessageContaining("policy-service-2 " + taken.getLocalPort())
                    .hasMessageContaining("already in use");
        }
        assertThat(data.resolve("kafka")).doesNotExist();
    }

    @Test
    void aServiceIsConfiguredThroughItsEnvironmentOnly() {
        Map<String, String> env = StackLauncher.serviceEnvironment(
                8083,
                "jdbc:postgresql://127.0.0.1:15432/policy_service",
                "postgres",
                "",
                "127.0.0.1:19092",
                Path.of("/k/pub.pem"));

        assertThat(env)
                .containsEntry("QUARKUS_HTTP_PORT", "8083")
                .containsEntry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:15432/policy_service")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "postgres")
                .containsEntry("QUARKUS_DATASOURCE_PASSWORD", "")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
                .containsEntry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "/k/pub.pem")
                .containsEntry("MP_JWT_VERIFY_ISSUER", "https://bulwark.local");
    }

    @Test
    void withKeycloakEveryServiceButTheGatewayIsGivenItsIssuer() {
        String issuer = "http://127.0.0.1:18080/realms/bulwark-demo";

        assertThat(StackLauncher.identityEnvironment(BulwarkService.POLICY_SERVICE, Optional.of(issuer)))
                .containsEntry("BULWARK_OIDC_ISSUERS", "keycloak")
                .containsEntry("BULWARK_OIDC_KEYCLOAK_ISSUER", issuer)
                .containsEntry("BULWARK_OIDC_KEYCLOAK_AUDIENCE", "bulwark")
                .containsEntry("BULWARK_OIDC_KEYCLOAK_TENANT_CLAIM", "tenant_id")
                .containsEntry("BULWARK_OIDC_KEYCLOAK_ROLES_CLAIM", "realm_access.roles")
                .containsEntry("BULWARK_OIDC_KEYCLOAK_ROLE_MAP", "bulwark-admin=admin,bulwark-user=user")
                .containsEntry("BULWARK_OIDC_KEYCLOAK_USER_CLAIM", "preferred_username");
        assertThat(StackLauncher.identityEnvironment(BulwarkService.DEVICE_REGISTRY, Optional.of(issuer)))
                .containsEntry(StackLauncher.OIDC_ISSUER_ENV, issuer);
        assertThat(StackLauncher.identityEnvironment(BulwarkService.GATEWAY, Optional.of(issuer)))
                .isEmpty();
        assertThat(StackLauncher.identityEnvironment(BulwarkService.SIGNOUT_BRIDGE, Optional.of(issuer)))
                .isEmpty();
        assertThat(StackLauncher.identityEnvironment(BulwarkService.POLICY_SERVICE, Optional.empty()))
                .isEmpty();
    }

    @Test
    void aServiceThatDiesBeforeItIsReadyFailsAtOnceWithTheEndOfItsLog() throws IOException {
        Path jar = fakeJar(BulwarkService.COMPLIANCE_SERVICE);
        Path log = data.resolve("logs/compliance-service-2.log");
        ServiceProcess process = ServiceProcess.start(
                BulwarkService.COMPLIANCE_SERVICE, 2, jar, LocalPorts.free(), Map.of(), List.of(), log);
        try {
            long begin = System.nanoTime();
            assertThatThrownBy(() -> process.awaitReady(HttpClient.newHttpClient(), Duration.ofSeconds(60)))
                    .isInstanceOf(StackStartException.class)
                    .hasMessageContaining("compliance-service-2 exited with code")
                    .hasMessageContaining("last lines of compliance-service's log")
                    // What java itself says about a jar that is not one.
                    .hasMessageContaining("jarfile");
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(30));
            assertThat(((StackStartException) catchStart(process)).service())
                    .contains(BulwarkService.COMPLIANCE_SERVICE);
        } finally {
            process.stop();
        }
        assertThat(process.isAlive()).isFalse();
    }

    @Test
    void externalPostgresComesFromTheEnvironmentWithAPostgresUserByDefault() {
        assertThat(ExternalPostgres.fromEnvironment(Map.of())).isEmpty();
        assertThat(ExternalPostgres.fromEnvironment(
                        Map.of(ExternalPostgres.URL_ENV, "jdbc:postgresql://db:5432/postgres")))
                .contains(new ExternalPostgres("jdbc:postgresql://db:5432/postgres", "postgres", ""));
        assertThat(StackConfig.defaults(
                                root,
                                data,
                                Map.of(
                                        ExternalPostgres.URL_ENV, "jdbc:postgresql://db/postgres",
                                        ExternalPostgres.USER_ENV, "admin",
                                        ExternalPostgres.PASSWORD_ENV, "s3cret"))
                        .externalPostgres()
                        .map(ExternalPostgres::username))
                .isEqualTo(Optional.of("admin"));
        assertThat(new ExternalPostgres("jdbc:postgresql://db/postgres", "u", "s3cret").toString())
                .doesNotContain("s3cret");
        assertThatThrownBy(() -> ExternalPostgres.fromEnvironment(Map.of(ExternalPostgres.URL_ENV, "postgres://db")))
                .hasMessageContaining("jdbc:postgresql://");
    }

    @Test
    void residentMemoryIsReadFromProcStatus() {
        assertThat(ProcessMemory.kilobytes("VmRSS:\t  276512 kB")).isEqualTo(276512L);
        assertThat(ProcessMemory.residentKilobytes(ProcessHandle.current().pid()))
                .hasValueSatisfying(kb -> assertThat(kb).isPositive());
    }

    private static Throwable catchStart(ServiceProcess process) {
        try {
            process.awaitReady(HttpClient.newHttpClient(), Duration.ofSeconds(5));
            throw new AssertionError("expected a failure");
        } catch (StackStartException e) {
            return e;
        }
    }

    /** A file where the service's jar should be, which java refuses to run. */
    private Path fakeJar(BulwarkService service) throws IOException {
        Path jar = service.runJar(root);
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not a jar");
        return jar;
    }
}
