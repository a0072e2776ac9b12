package dev.bulwark.compliance.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.compliance.support.KeyedRowLocks;
import dev.bulwark.testsupport.BulwarkInfra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The statement a batch locks its rows with ({@link KeyedRowLocks}): exactly the tenant's rows of the keys asked for,
 * in key order, each found by one probe of the table's unique key — also when the table's statistics predate most of
 * its rows, as after a join storm, where the plain {@code key = any(...)} form was planned as a scan of the tenant.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class KeyedRowLocksTest {

    @Inject
    EntityManager entityManager;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void locksTheTenantsRowsOfTheKeysAskedForInKeyOrderAndNoOthers() throws SQLException {
        String tenant = "locks-" + UUID.randomUUID();
        String other = "locks-other-" + UUID.randomUUID();
        insertDevices(tenant, List.of("d-3", "d-1", "d-2", "d-5"));
        insertDevices(other, List.of("d-1", "d-3"));

        QuarkusTransaction.requiringNew().run(() -> {
            @SuppressWarnings("unchecked")
            List<ManagedDevice> locked = entityManager
                    .createNativeQuery(KeyedRowLocks.statement("managed_device", "device_id"), ManagedDevice.class)
                    .setParameter(1, tenant)
                    .setParameter(2, new String[] {"d-5", "d-1", "missing", "d-3"})
                    .getResultList();
            assertThat(locked).extracting(ManagedDevice::deviceId).containsExactly("d-1", "d-3", "d-5");
            assertThat(locked).extracting(ManagedDevice::tenantId).containsOnly(tenant);

            // while this transaction holds them: the three are locked, the tenant's d-2 and the other tenant's rows not
            // a session of its own: the data source would hand this transaction's connection back
            try (Connection second = DriverManager.getConnection(jdbcUrl, user, password.orElse(null))) {
                second.setAutoCommit(false);
                assertThat(lockNowait(second, tenant, "d-2")).isTrue();
                assertThat(lockNowait(second, other, "d-1")).isTrue();
                assertThatThrownBy(() -> lockNowait(second, tenant, "d-3"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("could not obtain lock");
                second.rollback();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void probesTheUniqueKeyOncePerKeyAlthoughTheStatisticsPredateTheTenantsRows() throws Exception {
        String tenant = "locks-grown-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ids.add(String.format("reg-%05d", i));
        }
        insertInstances(tenant, ids.subList(0, 10));
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("analyze app_instance");
        }
        insertInstances(tenant, ids.subList(10, ids.size()));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement touch = connection.prepareStatement(
                        "update app_instance set offline_wipe_at = now() + interval '1 day' where tenant_id = ?")) {
            touch.setString(1, tenant);
            touch.executeUpdate();
            touch.executeUpdate();
        }
        String[] batch = {"reg-01999", "reg-00500", "reg-00007", "reg-01234", "reg-00042"};

        JsonNode plan = QuarkusTransaction.requiringNew().call(() -> new ObjectMapper()
                .readTree(entityManager
                        .createNativeQuery("explain (analyze, format json) "
                                + KeyedRowLocks.statement("app_instance", "registration_id"))
                        .setParameter(1, tenant)
                        .setParameter(2, batch)
                        .getSingleResult()
                        .toString()));

        List<JsonNode> scans = new ArrayList<>();
        collectScansOf(plan.get(0).get("Plan"), "app_instance", scans);
        assertThat(scans).as("the plan's scans of app_instance: %s", plan).isNotEmpty();
        for (JsonNode scan : scans) {
            assertThat(scan.get("Node Type").asText()).isEqualTo("Index Scan");
            assertThat(scan.get("Index Name").asText()).isEqualTo("app_instance_key");
            assertThat(scan.get("Actual Loops").asInt()).isEqualTo(batch.length);
            assertThat(scan.get("Actual Rows").asDouble()).isEqualTo(1.0);
        }
    }

    private static void collectScansOf(JsonNode node, String table, List<JsonNode> scans) {
        if (table.equals(node.path("Relation Name").asText(null))) {
            scans.add(node);
        }
        for (JsonNode child : node.path("Plans")) {
            collectScansOf(child, table, scans);
        }
    }

    private static boolean lockNowait(Connection connection, String tenant, String deviceId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(
                "select device_id from managed_device where tenant_id = ? and device_id = ? for update nowait")) {
            lock.setString(1, tenant);
            lock.setString(2, deviceId);
            return lock.executeQuery().next();
        }
    }

    private void insertDevices(String tenant, List<String> deviceIds) throws SQLException {
        insert(
                "insert into managed_device (tenant_id, device_id, user_id, platform, os_version, updated_at)"
                        + " values (?, ?, 'ada', 'ANDROID', '15', now())",
                tenant,
                deviceIds);
    }

    private void insertInstances(String tenant, List<String> registrationIds) throws SQLException {
        insert(
                "insert into app_instance (tenant_id, registration_id, user_id, app_id, platform, os_version,"
                        + " updated_at) values (?, ?, 'user-' || (random() * 500)::int, 'com.contoso.mail', 'ANDROID',"
                        + " '15', now())",
                tenant,
                registrationIds);
    }

    private void insert(String sql, String tenant, List<String> keys) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(sql)) {
            for (String key : keys) {
                insert.setString(1, tenant);
                insert.setString(2, key);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
