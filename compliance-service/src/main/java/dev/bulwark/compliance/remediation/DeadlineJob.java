package dev.bulwark.compliance.remediation;

import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.compliance.watermark.Watermarks;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every few seconds, fires the remediation deadlines that are due in event time: those whose due time the watermark of
 * {@code bulwark.devices.v1} has passed ({@link Watermarks#devicesHorizon}), i.e. everything the devices reported up to
 * the due time has been processed, so a fix reported in time has had its chance to cancel the deadline. While a
 * partition lags (a backlog) or is not known yet, deadlines wait. Each fires in its own transaction, so one bad subject
 * does not hold back the others. Several replicas may run this job; the row locks make each deadline fire once.
 */
@ApplicationScoped
public class DeadlineJob {

    private static final Logger LOG = Logger.getLogger(DeadlineJob.class);

    private final RemediationDeadlines deadlines;
    private final SubjectCompliance subjects;
    private final Watermarks watermarks;
    private final int batchSize;

    DeadlineJob(
            RemediationDeadlines deadlines,
            SubjectCompliance subjects,
            Watermarks watermarks,
            @ConfigProperty(name = "bulwark.compliance.remediation.batch-size", defaultValue = "100") int batchSize) {
        this.deadlines = deadlines;
        this.subjects = subjects;
        this.watermarks = watermarks;
        this.batchSize = batchSize;
    }

    @Scheduled(
            identity = "remediation-deadlines",
            every = "${bulwark.compliance.remediation.poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void fireDue() {
        Optional<Instant> horizon = watermarks.devicesHorizon();
        if (horizon.isEmpty()) {
            LOG.debug("No event-time watermark yet (a partition of the devices topic not seen): no deadline fires");
            return;
        }
        List<Long> due = deadlines.overdue(horizon.get(), batchSize);
        for (Long id : due) {
            try {
                subjects.fireDeadline(id, horizon.get());
            } catch (RuntimeException e) {
                // Left pending: the next round tries again.
                LOG.warnf(e, "Could not fire remediation deadline %d", id);
            }
        }
    }
}
