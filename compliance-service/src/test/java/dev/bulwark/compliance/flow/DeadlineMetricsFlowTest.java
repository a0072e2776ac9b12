package dev.bulwark.compliance.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.compliance.remediation.DeadlineJob;
import dev.bulwark.testsupport.BulwarkInfra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The metrics the overdue-deadline alert reads: a pending deadline an hour past due (the deadline job paused, so it
 * stays) shows as one more pending and an hour overdue; once it is gone, nothing is overdue.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class DeadlineMetricsFlowTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Scheduler scheduler;

    @Test
    void aDeadlineAnHourPastDueIsCountedPendingAndAnHourOverdue() throws SQLException {
        String subject = "overdue-" + UUID.randomUUID();
        scheduler.pause(DeadlineJob.IDENTITY);
        try (Connection connection = dataSource.getConnection()) {
            double pendingBefore = scraped("bulwark_compliance_remediation_pending");
            try {
                try (PreparedStatement insert = connection.prepareStatement(
                        "insert into remediation_deadline (tenant_id, subject_id, due_at, attempt_id, created_at)"
                                + " values ('metrics', ?, now() - interval '1 hour', ?, now() - interval '2 hours')")) {
                    insert.setString(1, subject);
                    insert.setString(2, subject);
                    insert.executeUpdate();
                }

                assertThat(scraped("bulwark_compliance_remediation_pending")).isEqualTo(pendingBefore + 1);
                assertThat(scraped("bulwark_compliance_remediation_overdue_seconds"))
                        .isBetween(3_600.0, 3_900.0);
            } finally {
                try (PreparedStatement delete =
                        connection.prepareStatement("delete from remediation_deadline where subject_id = ?")) {
                    delete.setString(1, subject);
                    delete.executeUpdate();
                }
            }
            assertThat(scraped("bulwark_compliance_remediation_pending")).isEqualTo(pendingBefore);
        } finally {
            scheduler.resume(DeadlineJob.IDENTITY);
        }
        assertThat(scraped("bulwark_compliance_remediation_overdue_seconds")).isLessThan(3_600.0);
    }

    private static double scraped(String metric) {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^" + metric + " (\\S+)$").matcher(metrics);
        assertThat(value.find()).as("%s on /q/metrics", metric).isTrue();
        return Double.parseDouble(value.group(1));
    }
}
