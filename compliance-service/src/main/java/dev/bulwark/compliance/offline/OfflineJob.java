package dev.bulwark.compliance.offline;

import dev.bulwark.compliance.watermark.Watermarks;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every few seconds, signs out (with a selective wipe, reason OFFLINE_TOO_LONG) the app instances that have not checked
 * in within their app protection policy's offline period before a wipe: each in its own transaction, once per offline
 * episode. The same poll interval as the remediation deadlines. "Offline since" is judged in event time, like a
 * deadline: the period (counted from the last check-in's occurredAt) must have passed the watermark of
 * {@code bulwark.devices.v1}, so a check-in that waits in a backlog still ends the episode before it is judged.
 */
@ApplicationScoped
public class OfflineJob {

    private static final Logger LOG = Logger.getLogger(OfflineJob.class);

    private final OfflineWipes wipes;
    private final Watermarks watermarks;
    private final int batchSize;

    OfflineJob(
            OfflineWipes wipes,
            Watermarks watermarks,
            @ConfigProperty(name = "bulwark.compliance.remediation.batch-size", defaultValue = "100") int batchSize) {
        this.wipes = wipes;
        this.watermarks = watermarks;
        this.batchSize = batchSize;
    }

    @Scheduled(
            identity = "offline-wipes",
            every = "${bulwark.compliance.remediation.poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void signOutOffline() {
        Optional<Instant> horizon = watermarks.devicesHorizon();
        if (horizon.isEmpty()) {
            LOG.debug("No event-time watermark yet (a partition of the devices topic not seen): no offline sign-out");
            return;
        }
        for (Long id : wipes.due(horizon.get(), batchSize)) {
            try {
                wipes.fire(id, horizon.get());
            } catch (RuntimeException e) {
                // Left due: the next round tries again.
                LOG.warnf(e, "Could not sign out offline app instance %d", id);
            }
        }
    }
}
