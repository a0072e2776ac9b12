package dev.bulwark.simulator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The join storm's book of subjects: when each sent its first, non-compliant report, whether it fixes and when the
 * front door answered the fix, the {@code occurredAt} device-registry gave both reports (read from
 * {@code bulwark.devices.v1}), and what came back on the topics.
 *
 * <p>A <b>wrong sign-out</b> is a SignOutRequired of a subject that reported its fix before its deadline: the fix's
 * occurredAt is before the first report's occurredAt plus the remediation deadline (the event-time rule of DESIGN.md).
 * Where an occurredAt was not seen, the bench's own clock decides conservatively: the fix's HTTP answer before the first
 * report's send plus the deadline. Thread-safe; times are epoch milliseconds.
 */
public final class StormLedger {

    /** What the ledger knows of one subject; guarded by the ledger. */
    private static final class Entry {
        final long firstSentAt;
        final boolean fixes;
        Long fixAnsweredAt;
        Long firstOccurredAt;
        Long fixOccurredAt;
        Long signedOutAt;
        Long restoredAt;

        Entry(long firstSentAt, boolean fixes) {
            this.firstSentAt = firstSentAt;
            this.fixes = fixes;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long deadlineMillis;

    public StormLedger(long deadlineMillis) {
        this.deadlineMillis = deadlineMillis;
    }

    /** The subject's first, non-compliant report is about to be sent at {@code sentAt}. */
    public void firstReport(String subjectId, long sentAt, boolean fixes) {
        entries.put(subjectId, new Entry(sentAt, fixes));
    }

    /** The subject's fix (a compliant report) was accepted by the front door at {@code answeredAt}. */
    public synchronized void fixAnswered(String subjectId, long answeredAt) {
        Entry e = entries.get(subjectId);
        if (e != null) {
            e.fixAnsweredAt = answeredAt;
        }
    }

    /** A report of the subject was published with {@code occurredAt} (compliant = the fix). */
    public synchronized void reportOccurred(String subjectId, long occurredAt, boolean compliant) {
        Entry e = entries.get(subjectId);
        if (e == null) {
            return;
        }
        if (compliant) {
            e.fixOccurredAt = e.fixOccurredAt == null ? occurredAt : Math.min(e.fixOccurredAt, occurredAt);
        } else {
            e.firstOccurredAt = e.firstOccurredAt == null ? occurredAt : Math.min(e.firstOccurredAt, occurredAt);
        }
    }

    /** A SignOutRequired for the subject was received (the first one counts). */
    public synchronized void signedOut(String subjectId, long receivedAt) {
        Entry e = entries.get(subjectId);
        if (e != null && e.signedOutAt == null) {
            e.signedOutAt = receivedAt;
        }
    }

    /** A ComplianceRestored for the subject was received (the first one counts). */
    public synchronized void restored(String subjectId, long receivedAt) {
        Entry e = entries.get(subjectId);
        if (e != null && e.restoredAt == null) {
            e.restoredAt = receivedAt;
        }
    }

    public int subjects() {
        return entries.size();
    }

    /** Sign-outs of subjects that reported their fix before the deadline. Must be zero. */
    public synchronized long wrongSignOuts() {
        return entries.values().stream()
                .filter(e -> e.signedOutAt != null && fixedInTime(e))
                .count();
    }

    /** Of the wrong sign-outs, those decided by the events' occurredAt (the rest by the bench's clock). */
    public synchronized long wrongSignOutsByOccurredAt() {
        return entries.values().stream()
                .filter(e -> e.signedOutAt != null && e.fixOccurredAt != null && e.firstOccurredAt != null)
                .filter(this::fixedInTime)
                .count();
    }

    private boolean fixedInTime(Entry e) {
        if (e.fixOccurredAt != null && e.firstOccurredAt != null) {
            return e.fixOccurredAt < e.firstOccurredAt + deadlineMillis;
        }
        return e.fixAnsweredAt != null && e.fixAnsweredAt < e.firstSentAt + deadlineMillis;
    }

    /** Subjects that reported a fix before their deadline (by the same rule). */
    public synchronized long fixedInTimeCount() {
        return entries.values().stream().filter(this::fixedInTime).count();
    }

    /** Subjects that never fixed and were signed out, as they should be. */
    public synchronized long rightSignOuts() {
        return entries.values().stream()
                .filter(e -> e.signedOutAt != null && !e.fixes)
                .count();
    }

    public synchronized long restoredCount() {
        return entries.values().stream().filter(e -> e.restoredAt != null).count();
    }

    /** Subjects whose outcome (a fixer restored or signed out, the others signed out) has not come yet. */
    public synchronized long unsettled() {
        return entries.values().stream().filter(e -> settledAt(e).isEmpty()).count();
    }

    /** When the last outcome came, once every subject has one. */
    public synchronized Optional<Long> drainedAt() {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        List<Long> settled = new ArrayList<>();
        for (Entry e : entries.values()) {
            Optional<Long> at = settledAt(e);
            if (at.isEmpty()) {
                return Optional.empty();
            }
            settled.add(at.get());
        }
        return settled.stream().max(Long::compare);
    }

    private static Optional<Long> settledAt(Entry e) {
        if (e.fixes && e.restoredAt != null) {
            return Optional.of(e.restoredAt);
        }
        return Optional.ofNullable(e.signedOutAt);
    }

    /** The first report of the storm. */
    public Optional<Long> startedAt() {
        return entries.values().stream().map(e -> e.firstSentAt).min(Long::compare);
    }
}
