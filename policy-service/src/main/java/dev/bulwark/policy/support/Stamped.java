package dev.bulwark.policy.support;

import java.time.Instant;

/**
 * A value with the time it became true. Caches keep the newer of two stamped values, so a late catch-up read can never
 * undo a fresher change.
 */
public record Stamped<T>(T value, Instant at) {

    /** The newer of the two; on a tie the incoming one. */
    public static <T> Stamped<T> newer(Stamped<T> current, Stamped<T> incoming) {
        if (current == null || !incoming.at().isBefore(current.at())) {
            return incoming;
        }
        return current;
    }
}
