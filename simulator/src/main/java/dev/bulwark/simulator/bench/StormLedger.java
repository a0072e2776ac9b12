package dev.bulwark.simulator.bench;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The join storm's book of subjects: when each sent its first, non-compliant report, its remediation deadline (that
 * send plus the policy's deadline: the device's own clock, as the user sees it), whether and when it reported a fix,
 * and what came back on the topics. A sign-out of a subject whose fix was answered (so had occurred) before its deadline
 * is a <b>wrong sign-out</b>: the user fixed the device in time and was signed out anyway. Thread-safe; times are
 * epoch milliseconds on the bench's clock.
 */
public final class StormLedger {

    /** What the ledger knows of one subject. */
    public record Entry(
            long firstReportSentAt,
            long deadlineAt,
            boolean fixes,
            Optional<Long> fixAnsweredAt,
            Optional<Long> signedOutAt,
            Optional<Long> restoredAt) {

        /** Fixed in time: the fix was answered by the front door before the deadline. */
        boolean fixedInTime() {
            return fixAnsweredAt.isPresent() && fixAnsweredAt.get() < deadlineAt;
        }

        /** The outcome the subject waits for has come: a restore for a subject that fixes, else a sign-out. */
        boolean settled() {
            return fixes ? restoredAt.isPresent() || signedOutAt.isPresent() : signedOutAt.isPresent();
        }

        Optional<Long> settledAt() {
            if (!settled()) {
                return Optional.empty();
            }
            return fixes && restoredAt.isPresent() ? restoredAt : signedOutAt;
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long deadlineMillis;

    public StormLedger(long deadlineMillis) {
        this.deadlineMillis = deadlineMillis;
    }

    /** The subject's first, non-compliant report is about to be sent at {@code sentAt}. */
    public void firstReport(String subjectId, long sentAt, boolean fixes) {
        entries.put(
                subjectId,
                new Entry(
                        sentAt, sentAt + deadlineMillis, fixes, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    /** The subject's fix (a compliant report) was accepted by the front door at {@code answeredAt}. */
    public void fixAnswered(String subjectId, long answeredAt) {
        entries.computeIfPresent(
                subjectId,
                (id, e) -> new Entry(
                        e.firstReportSentAt,
                        e.deadlineAt,
                        e.fixes,
                        Optional.of(answeredAt),
                        e.signedOutAt,
                        e.restoredAt));
    }

    /** A SignOutRequired for the subject was received (the first one counts). */
    public void signedOut(String subjectId, long receivedAt) {
        entries.computeIfPresent(
                subjectId,
                (id, e) -> e.signedOutAt.isPresent()
                        ? e
                        : new Entry(
                                e.firstReportSentAt,
                                e.deadlineAt,
                                e.fixes,
                                e.fixAnsweredAt,
                                Optional.of(receivedAt),
                                e.restoredAt));
    }

    /** A ComplianceRestored for the subject was received (the first one counts). */
    public void restored(String subjectId, long receivedAt) {
        entries.computeIfPresent(
                subjectId,
                (id, e) -> e.restoredAt.isPresent()
                        ? e
                        : new Entry(
                                e.firstReportSentAt,
                                e.deadlineAt,
                                e.fixes,
                                e.fixAnsweredAt,
                                e.signedOutAt,
                                Optional.of(receivedAt)));
    }

    public Optional<Entry> entry(String subjectId) {
        return Optional.ofNullable(entries.get(subjectId));
    }

    public int subjects() {
        return entries.size();
    }

    /** Sign-outs of subjects that had fixed their device before the deadline. Must be zero. */
    public long wrongSignOuts() {
        return entries.values().stream()
                .filter(e -> e.signedOutAt.isPresent() && e.fixedInTime())
                .count();
    }

    /** Subjects that never fixed and were signed out, as they should be. */
    public long rightSignOuts() {
        return entries.values().stream()
                .filter(e -> e.signedOutAt.isPresent() && !e.fixes)
                .count();
    }

    public long restoredCount() {
        return entries.values().stream().filter(e -> e.restoredAt.isPresent()).count();
    }

    /** Subjects whose outcome has not come yet. */
    public long unsettled() {
        return entries.values().stream().filter(e -> !e.settled()).count();
    }

    /** When the last outcome came, once every subject has one. */
    public Optional<Long> drainedAt() {
        if (entries.isEmpty() || unsettled() > 0) {
            return Optional.empty();
        }
        return entries.values().stream().map(e -> e.settledAt().orElseThrow()).max(Long::compare);
    }

    /** The first report of the storm. */
    public Optional<Long> startedAt() {
        return entries.values().stream().map(Entry::firstReportSentAt).min(Long::compare);
    }
}
