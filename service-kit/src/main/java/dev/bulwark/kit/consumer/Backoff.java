package dev.bulwark.kit.consumer;

import java.time.Duration;

/**
 * How long a consumer waits before it applies a record again after a transient failure: doubling from {@code first}
 * up to {@code cap}, so a short blip costs little and a long outage does not hammer the database.
 */
public record Backoff(Duration first, Duration cap) {

    /** 100 ms, 200 ms, 400 ms … up to 5 s between attempts. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    public Backoff {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= cap, was " + first + " and " + cap);
        }
    }

    /** The wait before attempt {@code failures + 1}, after {@code failures} (at least 1) failed attempts. */
    public Duration after(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        // past 2^20 the cap has long been reached; stop doubling before the long overflows
        int doublings = Math.min(failures - 1, 20);
        Duration delay = first.multipliedBy(1L << doublings);
        return delay.compareTo(cap) > 0 ? cap : delay;
    }
}
