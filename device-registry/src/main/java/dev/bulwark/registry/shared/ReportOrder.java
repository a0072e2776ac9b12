package dev.bulwark.registry.shared;

import dev.bulwark.kit.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides which state report is the latest. Reports can arrive late (an app queues them while offline, a retry
 * overtakes nothing), and an older report must never overwrite a newer one: an old "not jailbroken" arriving after a
 * new "jailbroken" would otherwise make the device look compliant again.
 */
public final class ReportOrder {

    private ReportOrder() {}

    /**
     * When the reported state was observed: the client's {@code reportedAt}, or the moment it was received.
     *
     * @throws ProblemException 400 naming {@code reportedAt} if it lies further ahead than {@code maxSkew}
     */
    public static Instant observedAt(Optional<Instant> reportedAt, Instant receivedAt, Duration maxSkew) {
        Instant observed = reportedAt.orElse(receivedAt);
        if (observed.isAfter(receivedAt.plus(maxSkew))) {
            throw ProblemException.badRequest(
                    "reportedAt", "is in the future (" + observed + "; the service's time is " + receivedAt + ")");
        }
        return observed;
    }

    /** True when a report observed at {@code observedAt} is newer than the state stored (observed at {@code stored}). */
    public static boolean supersedes(Instant observedAt, Instant stored) {
        return stored == null || observedAt.isAfter(stored);
    }
}
