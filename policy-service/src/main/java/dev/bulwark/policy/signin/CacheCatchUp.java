package dev.bulwark.policy.signin;

import dev.bulwark.policy.directory.DirectoryStore;
import dev.bulwark.policy.signout.SignOutStore;
import dev.bulwark.policy.store.PolicyStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fills the in-memory sign-in state from the database at start, then brings it up to date periodically with the rows
 * touched since the last run (minus an overlap for late commits and clock skew). Changes this process makes reach
 * the caches at once; the catch-up is how other replicas' changes (and their consumers' partitions) arrive.
 */
@ApplicationScoped
public class CacheCatchUp {

    private static final Logger LOG = Logger.getLogger(CacheCatchUp.class);

    private final PolicyStore policyStore;
    private final PolicyCache policyCache;
    private final DirectoryStore directory;
    private final SignOutStore signOuts;
    private final PinStore pins;
    private final Clock clock;
    private final Duration overlap;
    private volatile Instant lastRun = Instant.EPOCH;
    private volatile boolean stopping;

    CacheCatchUp(
            PolicyStore policyStore,
            PolicyCache policyCache,
            DirectoryStore directory,
            SignOutStore signOuts,
            PinStore pins,
            Clock clock,
            @ConfigProperty(name = "bulwark.policy.cache.catch-up-overlap", defaultValue = "PT30S") Duration overlap) {
        this.policyStore = policyStore;
        this.policyCache = policyCache;
        this.directory = directory;
        this.signOuts = signOuts;
        this.pins = pins;
        this.clock = clock;
        this.overlap = overlap;
    }

    void onStart(@Observes StartupEvent start) {
        int rows = catchUp();
        LOG.infof("Sign-in state loaded: %d rows", rows);
    }

    @Scheduled(
            every = "${bulwark.policy.cache.catch-up-interval:5s}",
            delayed = "${bulwark.policy.cache.catch-up-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodically() {
        if (stopping) {
            return;
        }
        try {
            catchUp();
        } catch (RuntimeException e) {
            // The next run re-reads from the same watermark: nothing is lost, the caches are only later.
            LOG.warn("Catching up the sign-in state failed; retrying at the next run", e);
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopping = true;
    }

    /** A catch-up now, asked for by this replica's {@link SignInStateFeed} on an event that changed a row. */
    void catchUpNow() {
        if (!stopping) {
            catchUp();
        }
    }

    synchronized int catchUp() {
        Instant started = clock.instant();
        Instant since = lastRun.equals(Instant.EPOCH) ? Instant.EPOCH : lastRun.minus(overlap);
        var changed = policyStore.touchedSince(since);
        policyCache.apply(changed);
        int rows = changed.size() + directory.catchUp(since) + signOuts.catchUp(since) + pins.catchUp(since);
        lastRun = started;
        return rows;
    }
}
