package dev.bulwark.compliance.wipe;

import dev.bulwark.compliance.support.Columns;
import dev.bulwark.compliance.timeline.Detail;
import dev.bulwark.compliance.timeline.SubjectTimeline;
import dev.bulwark.compliance.timeline.TimelineKind;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.SelectiveWipeResult;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.kit.paging.Page;
import dev.bulwark.kit.paging.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Selective wipes: one row per app x user x subject for every SignOutRequired with {@code selectiveWipe = true}, written
 * in the transaction that appends the sign-out to the outbox; completed by the app's next check-in, whose
 * {@code selectiveWipeResults} name the app. A sign-out that names no app (a managed device: every protected app on it)
 * gets one row without an app, completed by the first check-in that reports any wipe result: SUCCESSFUL when every
 * reported app succeeded, FAILED with the apps' reasons otherwise.
 */
@ApplicationScoped
public class SelectiveWipes {

    private static final String COLUMNS = "wipe_id, subject_id, management_type, user_id, app_id, status, reason,"
            + " sign_out_event_id, requested_at, completed_at, failure_reason, result_event_id";

    private final EntityManager entityManager;
    private final SubjectTimeline timeline;
    private final Clock clock;

    SelectiveWipes(EntityManager entityManager, SubjectTimeline timeline, Clock clock) {
        this.entityManager = entityManager;
        this.timeline = timeline;
        this.clock = clock;
    }

    /** Records the wipes a sign-out asks for, PENDING, and notes each on the subject's timeline. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> requested(SignOutRequired signOut, Instant now) {
        List<String> appIds = new ArrayList<>(signOut.getAppIds());
        if (appIds.isEmpty()) {
            appIds.add(null);
        }
        List<String> wipeIds = new ArrayList<>();
        for (String appId : appIds) {
            String wipeId = Envelope.newEventId();
            entityManager
                    .createNativeQuery("insert into selective_wipe (wipe_id, tenant_id, subject_id, management_type,"
                            + " user_id, app_id, reason, status, sign_out_event_id, requested_at)"
                            + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'PENDING', ?8, ?9)")
                    .setParameter(1, wipeId)
                    .setParameter(2, signOut.getTenantId())
                    .setParameter(3, signOut.getSubjectId())
                    .setParameter(4, signOut.getManagementType().name())
                    .setParameter(5, signOut.getUserId())
                    .setParameter(6, appId)
                    .setParameter(7, signOut.getReason().name())
                    .setParameter(8, signOut.getEventId())
                    .setParameter(9, Timestamp.from(now))
                    .executeUpdate();
            timeline.append(
                    signOut.getTenantId(),
                    signOut.getSubjectId(),
                    now,
                    TimelineKind.SELECTIVE_WIPE_REQUESTED,
                    Detail.of()
                            .with("wipeId", wipeId)
                            .with("appId", Optional.ofNullable(appId))
                            .with("status", WipeStatus.PENDING.name())
                            .with("reason", signOut.getReason().name())
                            .with("signOutEventId", signOut.getEventId())
                            .asMap());
            wipeIds.add(wipeId);
        }
        return wipeIds;
    }

    /**
     * Applies the wipe results a check-in carries to the subject's pending wipes requested before it; returns how many
     * wipes it completed. Runs once per report (the consumer's inbox), so a redelivered report changes nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public int reported(DeviceStateReported report) {
        List<SelectiveWipeResult> results = report.getSelectiveWipeResults();
        if (results.isEmpty()) {
            return 0;
        }
        List<Object[]> pending = entityManager
                .createNativeQuery("select id, wipe_id, app_id from selective_wipe where tenant_id = ?1"
                        + " and subject_id = ?2 and status = 'PENDING' and requested_at <= ?3 order by id for update")
                .setParameter(1, report.getTenantId())
                .setParameter(2, report.getSubjectId())
                .setParameter(3, Timestamp.from(report.getOccurredAt()))
                .getResultList();
        Instant now = clock.instant();
        int completed = 0;
        for (Object[] row : pending) {
            String appId = (String) row[2];
            List<SelectiveWipeResult> concerned = results.stream()
                    .filter(result -> appId == null || appId.equals(result.getAppId()))
                    .toList();
            if (concerned.isEmpty()) {
                continue;
            }
            boolean succeeded = concerned.stream().allMatch(SelectiveWipeResult::getSucceeded);
            Optional<String> failure = succeeded ? Optional.empty() : Optional.of(failureReason(concerned, appId));
            WipeStatus status = succeeded ? WipeStatus.SUCCESSFUL : WipeStatus.FAILED;
            entityManager
                    .createNativeQuery("update selective_wipe set status = ?1, completed_at = ?2, failure_reason = ?3,"
                            + " result_event_id = ?4 where id = ?5")
                    .setParameter(1, status.name())
                    .setParameter(2, Timestamp.from(now))
                    .setParameter(3, failure.orElse(null))
                    .setParameter(4, report.getEventId())
                    .setParameter(5, ((Number) row[0]).longValue())
                    .executeUpdate();
            timeline.append(
                    report.getTenantId(),
                    report.getSubjectId(),
                    now,
                    TimelineKind.SELECTIVE_WIPE_COMPLETED,
                    Detail.of()
                            .with("wipeId", (String) row[1])
                            .with("appId", Optional.ofNullable(appId))
                            .with("status", status.name())
                            .with("failureReason", failure)
                            .with("causeEventId", report.getEventId())
                            .asMap());
            completed++;
        }
        return completed;
    }

    /** One page of the tenant's wipes, newest first, optionally of one subject, one user, in one status. */
    @SuppressWarnings("unchecked")
    public Page<WipeView> list(
            String tenantId,
            Optional<String> subjectId,
            Optional<String> userId,
            Optional<WipeStatus> status,
            PageRequest request) {
        StringBuilder where = new StringBuilder(" from selective_wipe where tenant_id = :tenant");
        subjectId.ifPresent(id -> where.append(" and subject_id = :subject"));
        userId.ifPresent(id -> where.append(" and user_id = :user"));
        status.ifPresent(s -> where.append(" and status = :status"));
        Query count =
                filter(entityManager.createNativeQuery("select count(*)" + where), tenantId, subjectId, userId, status);
        long total = ((Number) count.getSingleResult()).longValue();
        Query page = filter(
                        entityManager.createNativeQuery("select " + COLUMNS + where + " order by id desc"),
                        tenantId,
                        subjectId,
                        userId,
                        status)
                .setFirstResult(request.offset())
                .setMaxResults(request.size());
        List<WipeView> items = ((List<Object[]>) page.getResultList())
                .stream().map(SelectiveWipes::view).toList();
        return new Page<>(items, request.page(), request.size(), total);
    }

    @SuppressWarnings("unchecked")
    public Optional<WipeView> find(String tenantId, String wipeId) {
        List<Object[]> rows = entityManager
                .createNativeQuery("select " + COLUMNS + " from selective_wipe where tenant_id = ?1 and wipe_id = ?2")
                .setParameter(1, tenantId)
                .setParameter(2, wipeId)
                .getResultList();
        return rows.stream().findFirst().map(SelectiveWipes::view);
    }

    private static Query filter(
            Query query,
            String tenantId,
            Optional<String> subjectId,
            Optional<String> userId,
            Optional<WipeStatus> status) {
        query.setParameter("tenant", tenantId);
        subjectId.ifPresent(id -> query.setParameter("subject", id));
        userId.ifPresent(id -> query.setParameter("user", id));
        status.ifPresent(s -> query.setParameter("status", s.name()));
        return query;
    }

    private static String failureReason(List<SelectiveWipeResult> concerned, String appId) {
        return concerned.stream()
                .filter(result -> !result.getSucceeded())
                .map(result -> {
                    String reason = Optional.ofNullable(result.getReason()).orElse("no reason given");
                    return appId == null ? result.getAppId() + ": " + reason : reason;
                })
                .collect(Collectors.joining("; "));
    }

    private static WipeView view(Object[] row) {
        return new WipeView(
                (String) row[0],
                (String) row[1],
                ManagementType.valueOf((String) row[2]),
                (String) row[3],
                Optional.ofNullable((String) row[4]),
                WipeStatus.valueOf((String) row[5]),
                SignOutReason.valueOf((String) row[6]),
                (String) row[7],
                Columns.instant(row[8]),
                Optional.ofNullable(row[9]).map(Columns::instant),
                Optional.ofNullable((String) row[10]),
                Optional.ofNullable((String) row[11]));
    }
}
