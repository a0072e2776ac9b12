package dev.bulwark.compliance.remediation;

import dev.bulwark.compliance.subject.SubjectCompliance;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every few seconds, fires the remediation deadlines that are due: each in its own transaction, so one bad subject
 * does not hold back the others. Several replicas may run this job; the row locks make each deadline fire once.
 */
@ApplicationScoped
public class DeadlineJob {

    private static final Logger LOG = Logger.getLogger(DeadlineJob.class);

    private final RemediationDeadlines deadlines;
    private final SubjectCompliance subjects;
    private final Clock clock;
    private final int batchSize;

    DeadlineJob(
            RemediationDeadlines deadlines,
            SubjectCompliance subjects,
            Clock clock,
            @ConfigProperty(name = "bulwark.compliance.remediation.batch-size", defaultValue = "100") int batchSize) {
        this.deadlines = deadlines;
        this.subjects = subjects;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    @Scheduled(
            identity = "remediation-deadlines",
            every = "${bulwark.compliance.remediation.poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void fireDue() {
        List<Long> due = deadlines.overdue(clock.instant(), batchSize);
        for (Long id : due) {
            try {
                subjects.fireDeadline(id);
            } catch (RuntimeException e) {
                // Left pending: the next round tries again.
                LOG.warnf(e, "Could not fire remediation deadline %d", id);
            }
        }
    }
}
