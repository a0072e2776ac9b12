package dev.bulwark.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.outbox.OutboxPublisher;
import dev.bulwark.testsupport.BulwarkInfra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What counts an effect counts it once it committed: {@link Outbox#afterCommit} runs after a commit and never after a
 * rollback (a retried attempt would count twice otherwise). And {@code bulwark_outbox_depth} counts the rows waiting.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class OutboxCommitHooksTest {

    private static final Pattern DEPTH = Pattern.compile("(?m)^bulwark_outbox_depth (\\S+)$");

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void anAfterCommitActionRunsOnceTheTransactionCommittedAndNeverWhenItRollsBack() {
        AtomicInteger counted = new AtomicInteger();

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    outbox.afterCommit(counted::incrementAndGet);
                    throw new IllegalStateException("the attempt fails");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(counted).as("after a rollback").hasValue(0);

        QuarkusTransaction.requiringNew().run(() -> {
            outbox.afterCommit(counted::incrementAndGet);
            assertThat(counted).as("before the commit").hasValue(0);
        });
        assertThat(counted).as("after the commit").hasValue(1);
    }

    @Test
    void theOutboxDepthCountsTheRowsWaitingForTheRelay() throws SQLException {
        String eventId = "depth-" + UUID.randomUUID();
        try (Connection relayHeld = dataSource.getConnection();
                Statement statement = relayHeld.createStatement()) {
            statement.execute("select pg_advisory_lock(" + OutboxPublisher.RELAY_LOCK + ")");
            try {
                double before = scrapedDepth();
                try (PreparedStatement insert = relayHeld.prepareStatement(
                        "insert into outbox_event (event_id, topic, event_key, event_type, payload, headers)"
                                + " values (?, 'bulwark.devices.v1', 'k', 'Test', '\\x00'::bytea, '{}')")) {
                    insert.setString(1, eventId);
                    insert.executeUpdate();
                }

                assertThat(scrapedDepth()).isEqualTo(before + 1);
            } finally {
                try (PreparedStatement delete =
                        relayHeld.prepareStatement("delete from outbox_event where event_id = ?")) {
                    delete.setString(1, eventId);
                    delete.executeUpdate();
                }
                statement.execute("select pg_advisory_unlock(" + OutboxPublisher.RELAY_LOCK + ")");
            }
        }
    }

    private static double scrapedDepth() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher depth = DEPTH.matcher(metrics);
        assertThat(depth.find()).as("bulwark_outbox_depth on /q/metrics").isTrue();
        return Double.parseDouble(depth.group(1));
    }
}
