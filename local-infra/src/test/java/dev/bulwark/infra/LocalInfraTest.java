package dev.bulwark.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.contract.Topics;
import dev.bulwark.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfraTest {

    @TempDir
    Path dir;

    @Test
    void embeddedPostgresKeepsItsDataAcrossRestarts() throws Exception {
        try (PostgresServer server = PostgresServer.embedded(dir.resolve("pg"), 0)) {
            server.createDatabaseIfMissing("kept_db");
            server.createDatabaseIfMissing("kept_db");
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("kept_db"), server.username(), "")) {
                c.createStatement().execute("create table t (v text); insert into t values ('still here')");
            }
        }
        try (PostgresServer server = PostgresServer.embedded(dir.resolve("pg"), 0);
                Connection c = DriverManager.getConnection(server.jdbcUrl("kept_db"), server.username(), "");
                ResultSet rows = c.createStatement().executeQuery("select v from t")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void refusesDatabaseNamesThatAreNotIdentifiers() {
        PostgresServer external = PostgresServer.external("jdbc:postgresql://127.0.0.1:1/postgres?ssl=false", "u", "");
        assertThat(external.jdbcUrl("x_db")).isEqualTo("jdbc:postgresql://127.0.0.1:1/x_db?ssl=false");
        assertThatThrownBy(() -> external.createDatabaseIfMissing("x; drop database postgres"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createsEveryCatalogueTopicWithItsPartitionsOnce() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            assertThat(TopicBootstrap.createAll(broker.bootstrapServers()))
                    .hasSize(Topics.catalogue().size() + TopicBootstrap.CONSUMING_SERVICES.size());
            assertThat(TopicBootstrap.createAll(broker.bootstrapServers())).isEmpty();
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                Map<String, TopicDescription> described = admin.describeTopics(Set.of(Topics.DEVICES, Topics.SIGNOUT))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                assertThat(described.get(Topics.DEVICES).partitions()).hasSize(Topics.DEVICES_PARTITIONS);
                assertThat(described.get(Topics.SIGNOUT).partitions()).hasSize(Topics.DEFAULT_PARTITIONS);
            }
        }
    }

    @Test
    void mintsTokensWithTheTenantRolesAndDevice() throws Exception {
        DevKeys keys = DevKeys.loadOrCreate(dir.resolve("keys"));
        assertThat(DevKeys.loadOrCreate(dir.resolve("keys")).publicKeyPath()).isEqualTo(keys.publicKeyPath());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(keys.publicKeyPath())))
                .isEqualTo("rw-r--r--");
        String token = keys.mint(
                DevKeys.DEFAULT_ISSUER, "acme", "dev-1", Set.of("device"), Optional.of("dev-1"), Duration.ofMinutes(5));
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(claims)
                .contains("\"tenant_id\":\"acme\"")
                .contains("\"device_id\":\"dev-1\"")
                .contains("\"sub\":\"dev-1\"")
                .contains("\"groups\":[\"device\"]")
                .contains("\"iss\":\"https://bulwark.local\"");
    }
}
