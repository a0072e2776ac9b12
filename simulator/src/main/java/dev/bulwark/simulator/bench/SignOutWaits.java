package dev.bulwark.simulator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sign-outs a phase waits for: a subject's non-compliant report is noted with the moment it was due to be sent,
 * and the first SignOutRequired received for that subject closes it as one latency sample (send → received). Matching
 * is by subject id; every subject is used for one non-compliant report only, so a sample is never matched twice.
 *
 * <p>On the way it notes where the time went: when the front door answered, when device-registry's relay published
 * the report on {@code bulwark.devices.v1} and when compliance-service's relay published the SignOutRequired (the
 * records' Kafka timestamps: the producer's clock at send, on this machine the same clock as the bench's).
 */
final class SignOutWaits {

    /** Not known (the report's record was not seen, or the answer came after the sign-out). */
    static final long UNKNOWN = -1;

    /** One sample, send and receive on {@link System#nanoTime()}, the hops in between in milliseconds or UNKNOWN. */
    record Sample(
            long sentNanos,
            long receivedNanos,
            long answerMillis,
            long relayMillis,
            long evaluationMillis,
            long deliveryMillis) {
        long latencyMillis() {
            return (receivedNanos - sentNanos) / 1_000_000;
        }
    }

    /** What is known of an open wait so far. */
    private static final class Open {
        final long sentNanos;
        volatile long answeredNanos;
        volatile long reportPublishedMillis = UNKNOWN;

        Open(long sentNanos) {
            this.sentNanos = sentNanos;
        }
    }

    /** {@link System#currentTimeMillis()} minus {@link System#nanoTime()} in ms, to put Kafka timestamps on one clock. */
    private final long wallMinusNanoMillis = System.currentTimeMillis() - System.nanoTime() / 1_000_000;

    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final List<Sample> closed = new ArrayList<>();

    void expect(String subjectId, long sentNanos) {
        open.put(subjectId, new Open(sentNanos));
    }

    /** The front door answered the report with a 2xx. */
    void answered(String subjectId, long answeredNanos) {
        Open wait = open.get(subjectId);
        if (wait != null) {
            wait.answeredNanos = answeredNanos;
        }
    }

    /** The report reached {@code bulwark.devices.v1}, its record stamped {@code recordMillis}. */
    void reportPublished(String subjectId, long recordMillis) {
        Open wait = open.get(subjectId);
        if (wait != null && wait.reportPublishedMillis == UNKNOWN) {
            wait.reportPublishedMillis = recordMillis;
        }
    }

    /** The report was refused: no sign-out is coming for it. */
    void forget(String subjectId) {
        open.remove(subjectId);
    }

    /** The SignOutRequired arrived at {@code receivedNanos}; its record was stamped {@code recordMillis}. */
    void signedOut(String subjectId, long receivedNanos, long recordMillis) {
        Open wait = open.remove(subjectId);
        if (wait == null) {
            return;
        }
        long answered = wait.answeredNanos == 0 ? UNKNOWN : (wait.answeredNanos - wait.sentNanos) / 1_000_000;
        long answeredWall = wait.answeredNanos == 0 ? UNKNOWN : wall(wait.answeredNanos);
        long published = wait.reportPublishedMillis;
        long relay = published == UNKNOWN || answeredWall == UNKNOWN ? UNKNOWN : Math.max(0, published - answeredWall);
        long evaluation = published == UNKNOWN ? UNKNOWN : Math.max(0, recordMillis - published);
        long delivery = Math.max(0, wall(receivedNanos) - recordMillis);
        synchronized (closed) {
            closed.add(new Sample(wait.sentNanos, receivedNanos, answered, relay, evaluation, delivery));
        }
    }

    private long wall(long nanos) {
        return wallMinusNanoMillis + nanos / 1_000_000;
    }

    int stillOpen() {
        return open.size();
    }

    /** The samples closed so far, and forgets them and the ones still open (the next phase starts empty). */
    List<Sample> drain() {
        open.clear();
        synchronized (closed) {
            List<Sample> out = new ArrayList<>(closed);
            closed.clear();
            return out;
        }
    }
}
