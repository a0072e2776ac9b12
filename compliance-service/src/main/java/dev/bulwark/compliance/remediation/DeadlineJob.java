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
 * partition lags (a backlog) or is not known yet, deadlines wait.
 *
 * <p>A round goes through every deadline due by the horizon it read, page by page in (due time, id) order, so a
 * backlog (a join storm of thousands of subjects with the same deadline) drains in one round rather than one page per
 * poll interval. Each page fires in one transaction; if anything in it fails, the page is fired again one deadline per
 * transaction, so one bad subject holds back nobody, and the failed one is left pending for the next round. Several
 * replicas may run this job; the row locks ({@code skip locked}) make each deadline fire once, and a deadline another
 * replica holds is passed over by this round.
 */
@ApplicationScoped
public class DeadlineJob {

    /** The scheduler identity of the job, to pause it (tests) or find it in the logs. */
    public static final String IDENTITY = "remediation-deadlines";

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
            identity = IDENTITY,
            every = "${bulwark.compliance.remediation.poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void fireDue() {
        Optional<Instant> horizon = watermarks.devicesHorizon();
        if (horizon.isEmpty()) {
            LOG.debug("No event-time watermark yet (a partition of the devices topic not seen): no deadline fires");
            return;
        }
        Optional<RemediationDeadlines.DueCursor> after = Optional.empty();
        while (true) {
            List<RemediationDeadlines.Due> page = deadlines.overdue(horizon.get(), after, batchSize);
            if (page.isEmpty()) {
                return;
            }
            fire(page.stream().map(RemediationDeadlines.Due::id).toList(), horizon.get());
            if (page.size() < batchSize) {
                return;
            }
            after = Optional.of(page.get(page.size() - 1).cursor());
        }
    }

    private void fire(List<Long> page, Instant horizon) {
        try {
            subjects.fireDeadlines(page, horizon);
            return;
        } catch (RuntimeException e) {
            LOG.warnf(e, "A page of %d remediation deadlines failed; firing them one by one", page.size());
        }
        for (Long id : page) {
            try {
                subjects.fireDeadline(id, horizon);
            } catch (RuntimeException e) {
                // Left pending: the next round tries again.
                LOG.warnf(e, "Could not fire remediation deadline %d", id);
            }
        }
    }
}
