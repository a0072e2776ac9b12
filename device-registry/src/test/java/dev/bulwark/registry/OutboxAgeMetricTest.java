package dev.bulwark.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.kit.outbox.OutboxPublisher;
import dev.bulwark.testsupport.BulwarkInfra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bulwark_outbox_oldest_age_seconds}, which the alert on a backing-up outbox reads: how long the oldest row has
 * waited; and {@code bulwark_outbox_depth}, how many rows wait. The test keeps the relay idle by holding its advisory lock, so a row it writes an hour in the past stays.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class OutboxAgeMetricTest {

    private static final Pattern AGE = Pattern.compile("(?m)^bulwark_outbox_oldest_age_seconds (\\S+)$");
    private static final Pattern DEPTH = Pattern.compile("(?m)^bulwark_outbox_depth (\\S+)$");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theOutboxAgeIsHowLongTheOldestUnpublishedEventHasWaited() throws SQLException {
        String eventId = "age-" + UUID.randomUUID();
        try (Connection relayHeld = dataSource.getConnection();
                Statement statement = relayHeld.createStatement()) {
            statement.execute("select pg_advisory_lock(" + OutboxPublisher.RELAY_LOCK + ")");
            try {
                try (PreparedStatement insert = relayHeld.prepareStatement(
                        "insert into outbox_event (event_id, topic, event_key, event_type, payload, headers, created_at)"
                                + " values (?, 'bulwark.devices.v1', 'k', 'Test', '\\x00'::bytea, '{}',"
                                + " now() - interval '1 hour')")) {
                    insert.setString(1, eventId);
                    insert.executeUpdate();
                }

                assertThat(scrapedAge()).isBetween(3_600.0, 3_900.0);
                assertThat(scraped(DEPTH))
                        .as("bulwark_outbox_depth: the row waits with any others")
                        .isGreaterThanOrEqualTo(1.0);
            } finally {
                // never published: the row goes before the relay may take it
                try (PreparedStatement delete =
                        relayHeld.prepareStatement("delete from outbox_event where event_id = ?")) {
                    delete.setString(1, eventId);
                    delete.executeUpdate();
                }
                statement.execute("select pg_advisory_unlock(" + OutboxPublisher.RELAY_LOCK + ")");
            }
        }
        assertThat(scrapedAge()).isLessThan(3_600.0);
    }

    private static double scrapedAge() {
        return scraped(AGE);
    }

    private static double scraped(Pattern metric) {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = metric.matcher(metrics);
        assertThat(value.find()).as(metric.pattern() + " on /q/metrics").isTrue();
        return Double.parseDouble(value.group(1));
    }
}
