package dev.bulwark.registry.checkin;

import static dev.bulwark.registry.Registry.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * service-kit's outbox as a service uses it: rows are written when the transaction commits, never for one that rolls
 * back or fails at its commit, and the commit wakes the relay (its poll is ten minutes here, {@link QuietRelayProfile}).
 */
@QuarkusTest
@TestProfile(QuietRelayProfile.class)
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class OutboxAtCommitTest {

    /** Far below the ten-minute poll: only a wake on commit can meet it. */
    private static final Duration SOON = Duration.ofSeconds(10);

    @Inject
    OutboxScenarios scenarios;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aCommittedCheckInIsPublishedAtOnceWithoutWaitingForTheRelaysPoll() {
        Registry tenant = Registry.newTenant();
        String deviceId = tenant.device(tenant.user("quinn"));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asDevice(deviceId)
                    .body(Registry.state("14.2", true, true, false))
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(200);

            probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), SOON);
        }
    }

    @Test
    void theEventsOfATransactionThatRollsBackAreNeitherWrittenNorPublished() throws SQLException {
        Registry tenant = Registry.newTenant();
        UserAccountChanged event = OutboxScenarios.accountChanged(tenant.tenantId, "rita");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            assertThatThrownBy(() -> scenarios.appendThenFail(event)).isInstanceOf(IllegalStateException.class);

            assertThat(outboxRows(event.getEventId())).isZero();
            probe.assertNone(UserAccountChanged.class, e -> e.getEventId().equals(event.getEventId()), QUIET);
        }
    }

    @Test
    void whenWritingTheRowsFailsAtCommitTheWholeTransactionRollsBack() throws SQLException {
        Registry tenant = Registry.newTenant();
        String deviceId = tenant.device(tenant.user("sam"));
        UserAccountChanged event = OutboxScenarios.accountChanged(tenant.tenantId, "sam");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            assertThatThrownBy(() -> scenarios.changeDeviceAndAppendDuplicate(deviceId, "renamed", event))
                    .hasStackTraceContaining("outbox_event");

            tenant.asAdmin()
                    .get("/api/v1/devices/" + deviceId)
                    .then()
                    .statusCode(200)
                    .body("model", org.hamcrest.Matchers.equalTo("Pixel 8"));
            assertThat(outboxRows(event.getEventId())).isZero();
            probe.assertNone(UserAccountChanged.class, e -> e.getEventId().equals(event.getEventId()), QUIET);
        }
    }

    private long outboxRows(String eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count =
                        connection.prepareStatement("select count(*) from outbox_event where event_id = ?")) {
            count.setString(1, eventId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
