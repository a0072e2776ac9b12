package dev.bulwark.assignment.managed;

import static dev.bulwark.assignment.Fixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.assignment.Fixtures;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstallRequested;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fan-out: a REQUIRED assignment to a user group of 10,000 users, each with a managed device, produces 10,000
 * AppInstallRequested without a transaction per device. The projections are seeded straight into this service's tables
 * (what 20,000 directory and device events would leave there) so that only the fan-out is timed. Run with
 * {@code mvn -o install -pl assignment-service -Dexcluded.groups=none -Dgroups=benchmark}.
 */
@QuarkusTest
@Tag("benchmark")
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class FanOutBenchmarkTest {

    private static final int MEMBERS = 10_000;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anAssignmentToAGroupOfTenThousandManagedDevicesFansOutInOneBatchedTransaction() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        String admin = TestTokens.admin(tenant);
        Fixtures fx = new Fixtures(tenant, admin);
        seed(tenant);
        fx.registerApp("fleet");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS)) {
            Instant start = Instant.now();
            fx.assign("fleet", "REQUIRED", target("USER_GROUP", "everyone", false));
            Duration committed = Duration.between(start, Instant.now());
            Set<String> devices = new HashSet<>();
            Instant deadline = Instant.now().plusSeconds(180);
            while (devices.size() < MEMBERS && Instant.now().isBefore(deadline)) {
                for (TopicProbe.ReceivedEvent received : probe.all()) {
                    if (received.event() instanceof AppInstallRequested install
                            && install.getTenantId().equals(tenant)) {
                        devices.add(install.getDeviceId());
                    }
                }
            }
            Duration onKafka = Duration.between(start, Instant.now());
            System.out.printf(
                    "FAN-OUT %d managed devices: assignment + %d install commands committed in %d ms,"
                            + " all on bulwark.mdm-commands.v1 after %d ms%n",
                    MEMBERS, devices.size(), committed.toMillis(), onKafka.toMillis());
            assertThat(devices).hasSize(MEMBERS);
        }
    }

    private void seed(String tenant) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement device = c.prepareStatement("insert into managed_device"
                            + " (tenant_id, device_id, user_id, platform, active) values (?, ?, ?, 'ANDROID', true)");
                    PreparedStatement member = c.prepareStatement("insert into group_member"
                            + " (tenant_id, kind, group_id, member_id) values (?, 'USER', 'everyone', ?)")) {
                for (int i = 0; i < MEMBERS; i++) {
                    device.setString(1, tenant);
                    device.setString(2, "fleet-dev-" + i);
                    device.setString(3, "fleet-user-" + i);
                    device.addBatch();
                    member.setString(1, tenant);
                    member.setString(2, "fleet-user-" + i);
                    member.addBatch();
                }
                device.executeBatch();
                member.executeBatch();
            }
            c.commit();
        }
    }
}
