package dev.bulwark.compliance.offline;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every few seconds, signs out (with a selective wipe, reason OFFLINE_TOO_LONG) the app instances that have not checked
 * in within their app protection policy's offline period before a wipe: each in its own transaction, once per offline
 * episode. The same poll interval as the remediation deadlines.
 */
@ApplicationScoped
public class OfflineJob {

    private static final Logger LOG = Logger.getLogger(OfflineJob.class);

    private final OfflineWipes wipes;
    private final Clock clock;
    private final int batchSize;

    OfflineJob(
            OfflineWipes wipes,
            Clock clock,
            @ConfigProperty(name = "bulwark.compliance.remediation.batch-size", defaultValue = "100") int batchSize) {
        this.wipes = wipes;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    @Scheduled(
            identity = "offline-wipes",
            every = "${bulwark.compliance.remediation.poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void signOutOffline() {
        for (Long id : wipes.due(clock.instant(), batchSize)) {
            try {
                wipes.fire(id);
            } catch (RuntimeException e) {
                // Left due: the next round tries again.
                LOG.warnf(e, "Could not sign out offline app instance %d", id);
            }
        }
    }
}
