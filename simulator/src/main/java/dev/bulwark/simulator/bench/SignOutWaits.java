package dev.bulwark.simulator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sign-outs a phase waits for: a subject's non-compliant report is noted with the moment it was due to be sent,
 * and the first SignOutRequired received for that subject closes it as one latency sample (send → received). Matching
 * is by subject id; every subject is used for one non-compliant report only, so a sample is never matched twice.
 */
final class SignOutWaits {

    /** One sample, both ends on {@link System#nanoTime()}. */
    record Sample(long sentNanos, long receivedNanos) {
        long latencyMillis() {
            return (receivedNanos - sentNanos) / 1_000_000;
        }
    }

    private final Map<String, Long> open = new ConcurrentHashMap<>();
    private final List<Sample> closed = new ArrayList<>();

    void expect(String subjectId, long sentNanos) {
        open.put(subjectId, sentNanos);
    }

    /** The report was refused: no sign-out is coming for it. */
    void forget(String subjectId) {
        open.remove(subjectId);
    }

    void signedOut(String subjectId, long receivedNanos) {
        Long sent = open.remove(subjectId);
        if (sent != null) {
            synchronized (closed) {
                closed.add(new Sample(sent, receivedNanos));
            }
        }
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
