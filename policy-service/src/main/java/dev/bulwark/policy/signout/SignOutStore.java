package dev.bulwark.policy.signout;

import static dev.bulwark.policy.support.Columns.instant;

import dev.bulwark.events.ManagementType;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.policy.support.AfterCommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/**
 * Keeps the sign-out rows learned from SignOutRequired and the in-memory {@link SignOutState} in step with them; clears
 * a sign-out when the account has signed in again. One row per account, app and installation: an unmanaged sign-out
 * names its app instance (the subjectId is the registrationId), any other reaches every installation ("").
 */
@ApplicationScoped
public class SignOutStore {

    private final EntityManager entityManager;
    private final SignOutState state;
    private final AfterCommit afterCommit;

    SignOutStore(EntityManager entityManager, SignOutState state, AfterCommit afterCommit) {
        this.entityManager = entityManager;
        this.state = state;
        this.afterCommit = afterCommit;
    }

    /**
     * Records the demands of these events for every app each names (or for every app when it names none), in their
     * order, with one JDBC batch (the driver pipelines it); the in-memory state learns them after the commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void required(List<SignOutRequired> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Runnable> learn = new ArrayList<>();
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "insert into sign_out (tenant_id, user_id, app_id, subject_id, reason, user_message,"
                            + " selective_wipe, required_at, registration_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " on conflict (tenant_id, user_id, app_id, registration_id)"
                            + " do update set subject_id = excluded.subject_id,"
                            + " reason = excluded.reason, user_message = excluded.user_message,"
                            + " selective_wipe = excluded.selective_wipe, required_at = excluded.required_at,"
                            + " cleared_at = null, touched_at = clock_timestamp()"
                            + " where sign_out.required_at <= excluded.required_at")) {
                for (SignOutRequired event : events) {
                    for (SignOutNotice notice : noticesOf(event)) {
                        String appId = notice.appId();
                        String registrationId = notice.registrationId();
                        upsert.setString(1, event.getTenantId());
                        upsert.setString(2, event.getUserId());
                        upsert.setString(3, appId);
                        upsert.setString(4, notice.subjectId());
                        upsert.setString(5, notice.reason());
                        upsert.setString(6, notice.userMessage());
                        upsert.setBoolean(7, notice.selectiveWipe());
                        upsert.setObject(8, notice.requiredAt().atOffset(ZoneOffset.UTC));
                        upsert.setString(9, registrationId);
                        upsert.addBatch();
                        learn.add(() -> state.apply(event.getTenantId(), event.getUserId(), notice));
                    }
                }
                upsert.executeBatch();
            }
        });
        // the newest demand wins in memory as in the table, whatever the order
        afterCommit.run(() -> learn.forEach(Runnable::run));
    }

    /** Marks the demand as met; a newer demand made meanwhile stays in force. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void clear(String tenantId, String userId, SignOutNotice notice, Instant at) {
        entityManager
                .createNativeQuery("update sign_out set cleared_at = ?1, touched_at = clock_timestamp()"
                        + " where tenant_id = ?2 and user_id = ?3 and app_id = ?4 and registration_id = ?6"
                        + " and required_at = ?5")
                .setParameter(1, Timestamp.from(at))
                .setParameter(2, tenantId)
                .setParameter(3, userId)
                .setParameter(4, notice.appId())
                .setParameter(5, Timestamp.from(notice.requiredAt()))
                .setParameter(6, notice.registrationId())
                .executeUpdate();
        SignOutNotice cleared = notice.cleared(at);
        afterCommit.run(() -> state.apply(tenantId, userId, cleared));
    }

    /** Loads every row touched after {@code since} into the in-memory state; returns how many. */
    @Transactional
    public int catchUp(Instant since) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery(
                        "select tenant_id, user_id, app_id, subject_id, reason, user_message, selective_wipe,"
                                + " required_at, cleared_at, registration_id from sign_out where touched_at > ?1")
                .setParameter(1, Timestamp.from(since))
                .getResultList();
        for (Object[] row : rows) {
            state.apply(
                    (String) row[0],
                    (String) row[1],
                    new SignOutNotice(
                            (String) row[2],
                            (String) row[9],
                            (String) row[3],
                            (String) row[4],
                            (String) row[5],
                            (Boolean) row[6],
                            instant(row[7]),
                            Optional.ofNullable(row[8]).map(dev.bulwark.policy.support.Columns::instant)));
        }
        return rows.size();
    }

    /** The demands a SignOutRequired makes: one per app it names (or one for every app), for its installation. */
    public static List<SignOutNotice> noticesOf(SignOutRequired event) {
        List<String> apps = event.getAppIds().isEmpty() ? List.of(SignOutNotice.EVERY_APP) : event.getAppIds();
        String registrationId = installationOf(event);
        List<SignOutNotice> notices = new ArrayList<>(apps.size());
        for (String appId : apps) {
            notices.add(new SignOutNotice(
                    appId,
                    registrationId,
                    event.getSubjectId(),
                    event.getReason().name(),
                    event.getUserMessage(),
                    event.getSelectiveWipe(),
                    event.getOccurredAt(),
                    Optional.empty()));
        }
        return notices;
    }

    /**
     * The installation an unmanaged sign-out is for (its subject, the registrationId); a managed one is for the device,
     * which a sign-in here does not name, so it reaches every installation of the account, as does one whose type is
     * unknown (the safe side).
     */
    static String installationOf(SignOutRequired event) {
        String subject = event.getSubjectId();
        return event.getManagementType() == ManagementType.UNMANAGED && subject != null && !subject.isBlank()
                ? subject
                : SignOutNotice.EVERY_INSTALLATION;
    }
}
