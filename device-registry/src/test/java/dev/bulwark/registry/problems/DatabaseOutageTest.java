package dev.bulwark.registry.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * With the service's database refusing connections (and its sessions ended), a call is answered 503 problem+json with
 * Retry-After, not 500, and nothing is written; readiness is DOWN meanwhile, and the service serves again afterwards.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class DatabaseOutageTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void aCallWhileTheDatabaseIsAwayIsA503ProblemWithRetryAfter() throws SQLException {
        Registry tenant = Registry.newTenant();
        tenant.user("before");
        String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection admin = adminConnection();
                Statement sql = admin.createStatement()) {
            try {
                sql.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS false");
                sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND pid <> pg_backend_pid()");

                Response write = tenant.asAdmin()
                        .body(Map.of("userId", "during", "displayName", "During"))
                        .post("/api/v1/users");
                assertThat(write.statusCode()).as(write.asString()).isEqualTo(503);
                assertThat(write.contentType()).startsWith("application/problem+json");
                assertThat(write.header("Retry-After")).isEqualTo("5");
                assertThat(write.jsonPath().getInt("status")).isEqualTo(503);

                Response read = tenant.asAdmin().get("/api/v1/users/before");
                assertThat(read.statusCode()).as(read.asString()).isEqualTo(503);
                assertThat(read.header("Retry-After")).isEqualTo("5");

                Registry.as(tenant.adminToken)
                        .get("/q/health/ready")
                        .then()
                        .statusCode(503)
                        .body("status", equalTo("DOWN"));
            } finally {
                sql.execute("ALTER DATABASE \"" + database + "\" ALLOW_CONNECTIONS true");
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        tenant.asAdmin().get("/api/v1/users/before").then().statusCode(200));
        tenant.asAdmin().get("/api/v1/users/during").then().statusCode(404);
    }

    private static Connection adminConnection() throws SQLException {
        var postgres = BulwarkInfra.postgres();
        return DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.username(), postgres.password());
    }
}
