package dev.bulwark.compliance.offline;

import dev.bulwark.compliance.projection.AppInstance;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.compliance.subject.SubjectRef;
import dev.bulwark.compliance.unmanaged.UnmanagedAppEvaluator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Finds app instances offline for longer than their policy's offline period before a wipe, and signs each out once
 * per offline episode. The episode is the app instance row itself: {@code offline_wipe_at} (last check-in + period)
 * is due, {@code offline_wiped_at} not yet set; firing sets it in the same transaction as the SignOutRequired in the
 * outbox, and the next check-in clears it. Rows survive restarts; the row lock makes it fire once across replicas.
 */
@ApplicationScoped
public class OfflineWipes {

    private final EntityManager entityManager;
    private final SubjectCompliance subjects;
    private final Clock clock;

    OfflineWipes(EntityManager entityManager, SubjectCompliance subjects, Clock clock) {
        this.entityManager = entityManager;
        this.subjects = subjects;
        this.clock = clock;
    }

    /** Where a round of the offline job has got to, in (offline wipe time, row id) order. */
    public record DueCursor(Instant wipeAt, long id) {}

    /** An app instance whose offline wipe is due, as the offline job pages through them. */
    public record Due(long id, Instant wipeAt) {
        public DueCursor cursor() {
            return new DueCursor(wipeAt, id);
        }
    }

    /**
     * Up to {@code limit} app instances whose offline wipe is due by {@code horizon} (the event-time watermark) and not
     * yet done, the longest overdue first, after {@code after} in (offline wipe time, row id) order when given, so one
     * round of the job pages through all of them once.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<Due> due(Instant horizon, Optional<DueCursor> after, int limit) {
        String afterClause = after.isPresent() ? " and (offline_wipe_at, id) > (?3, ?4)" : "";
        var query = entityManager
                .createNativeQuery("select id, offline_wipe_at from app_instance where offline_due_hour <= ?1"
                        + " and offline_wiped_at is null and offline_wipe_at <= ?1" + afterClause
                        + " order by offline_wipe_at, id limit ?2")
                .setParameter(1, Timestamp.from(horizon))
                .setParameter(2, limit);
        after.ifPresent(
                cursor -> query.setParameter(3, Timestamp.from(cursor.wipeAt())).setParameter(4, cursor.id()));
        List<Object[]> rows = query.getResultList();
        return rows.stream()
                .map(row -> new Due(((Number) row[0]).longValue(), asInstant(row[1])))
                .toList();
    }

    private static Instant asInstant(Object column) {
        if (column instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (column instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return (Instant) column;
    }

    /**
     * Signs one offline app instance out, in its own transaction. Nothing happens when another replica or a check-in
     * holds its row right now (the check-in ends the episode; otherwise the next round retries) or it is no longer due
     * by {@code horizon}.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean fire(long appInstanceRowId, Instant horizon) {
        Instant now = clock.instant();
        List<?> claimed = entityManager
                .createNativeQuery("select id from app_instance where id = ?1 and offline_wiped_at is null"
                        + " and offline_wipe_at <= ?2 for update skip locked")
                .setParameter(1, appInstanceRowId)
                .setParameter(2, Timestamp.from(horizon))
                .getResultList();
        if (claimed.isEmpty()) {
            return false;
        }
        AppInstance instance = entityManager.find(AppInstance.class, appInstanceRowId);
        Instant lastCheckIn = instance.lastReportedAt().orElseThrow();
        Duration period = Duration.between(lastCheckIn, instance.offlineWipeAt().orElseThrow());
        Violation offline = new Violation(
                UnmanagedAppEvaluator.OFFLINE_PERIOD,
                "a check-in within " + period,
                "last check-in " + lastCheckIn,
                "the app has not checked in since " + lastCheckIn,
                java.util.Optional.empty(),
                true);
        subjects.offlineTooLong(
                SubjectRef.appInstance(
                        instance.tenantId(), instance.registrationId(), instance.userId(), instance.appId()),
                offline);
        instance.offlineWiped(now);
        return true;
    }
}
