package dev.bulwark.compliance.remediation;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The remediation deadlines as an operator watches them: {@code bulwark.compliance.remediation.pending} (deadlines
 * running) and {@code bulwark.compliance.remediation.overdue} (seconds since the most overdue pending deadline was
 * due; 0 when none is). {@link DeadlineJob} fires a deadline a little after it is due (the watermark's allowed
 * lateness, the poll interval); a deadline far past due means sign-outs are late. Both are read at each scrape through
 * the partial index on pending deadlines; NaN when the database cannot say.
 */
@Startup
@ApplicationScoped
public class DeadlineMetrics {

    private final AgroalDataSource dataSource;

    DeadlineMetrics(AgroalDataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        Gauge.builder("bulwark.compliance.remediation.pending", this, m -> m.read("count(*)"))
                .description("Remediation deadlines pending (running)")
                .register(registry);
        Gauge.builder(
                        "bulwark.compliance.remediation.overdue",
                        this,
                        m -> m.read("coalesce(greatest(0, extract(epoch from clock_timestamp() - min(due_at))), 0)"))
                .description("How long the most overdue pending remediation deadline has been due (0: none is)")
                .baseUnit("seconds")
                .register(registry);
    }

    private double read(String aggregate) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "select " + aggregate + " from remediation_deadline where status = 'PENDING'")) {
            return result.next() ? result.getDouble(1) : 0;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }
}
