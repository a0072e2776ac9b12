package dev.bulwark.compliance.offline;

import dev.bulwark.compliance.watermark.Watermarks;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every few seconds, signs out (with a selective wipe, reason OFFLINE_TOO_LONG) the app instances that have not checked
 * in within their app protection policy's offline period before a wipe: each in its own transaction, once per offline
 * episode. The same poll interval and page size as the remediation deadlines, and like them a round pages through every
 * app instance due by the horizon it read, so a backlog drains in one round. "Offline since" is judged in event time, like a
 * deadline: the period (counted from the last check-in's occurredAt) must have passed the watermark of
 * {@code bulwark.devices.v1}, so a check-in that waits in a backlog still ends the episode before it is judged.
 */
@ApplicationScoped
public class OfflineJob {

    /** The scheduler identity of the job, to pause it (tests) or find it in the logs. */
    public static final String IDENTITY = "offline-wipes";

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
            identity = IDENTITY,
            every = "${bulwark.compliance.remediation.poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void signOutOffline() {
        Optional<Instant> horizon = watermarks.devicesHorizon();
        if (horizon.isEmpty()) {
            LOG.debug("No event-time watermark yet (a partition of the devices topic not seen): no offline sign-out");
            return;
        }
        Optional<OfflineWipes.DueCursor> after = Optional.empty();
        while (true) {
            List<OfflineWipes.Due> page = wipes.due(horizon.get(), after, batchSize);
            for (OfflineWipes.Due due : page) {
                try {
                    wipes.fire(due.id(), horizon.get());
                } catch (RuntimeException e) {
                    // Left due: the next round tries again.
                    LOG.warnf(e, "Could not sign out offline app instance %d", due.id());
                }
            }
            if (page.size() < batchSize) {
                return;
            }
            after = Optional.of(page.get(page.size() - 1).cursor());
        }
    }
}
