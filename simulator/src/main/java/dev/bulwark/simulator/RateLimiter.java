package dev.bulwark.simulator;

import java.util.concurrent.locks.LockSupport;

/** Hands out permits at a steady rate (no bursts), so a load test sends what it says it sends. */
final class RateLimiter {

    private final long nanosPerPermit;
    private long next = System.nanoTime();

    RateLimiter(double perSecond) {
        this.nanosPerPermit = Math.max(1, (long) (1_000_000_000L / perSecond));
    }

    /** Blocks until the next permit is due. */
    void acquire() {
        long due;
        synchronized (this) {
            long now = System.nanoTime();
            // A caller that fell behind does not get a burst to catch up: at most one permit of credit.
            next = Math.max(next, now - nanosPerPermit);
            due = next;
            next += nanosPerPermit;
        }
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
