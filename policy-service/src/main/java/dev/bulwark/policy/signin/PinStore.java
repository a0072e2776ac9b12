package dev.bulwark.policy.signin;

import static dev.bulwark.policy.support.Columns.instant;

import dev.bulwark.policy.support.AfterCommit;
import dev.bulwark.policy.support.Stamped;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Keeps the rows of PINs set by protected apps, and the in-memory {@link PinState} in step with them. */
@ApplicationScoped
public class PinStore {

    private final EntityManager entityManager;
    private final PinState state;
    private final AfterCommit afterCommit;

    PinStore(EntityManager entityManager, PinState state, AfterCommit afterCommit) {
        this.entityManager = entityManager;
        this.state = state;
        this.afterCommit = afterCommit;
    }

    @Transactional
    public void pinSet(String tenantId, String userId, String appId, String registrationId, int length, Instant at) {
        entityManager
                .createNativeQuery(
                        "insert into pin_registration (tenant_id, user_id, app_id, registration_id, pin_length,"
                                + " pin_set_at) values (?1, ?2, ?3, ?4, ?5, ?6)"
                                + " on conflict (tenant_id, user_id, app_id, registration_id) do update set"
                                + " pin_length = excluded.pin_length, pin_set_at = excluded.pin_set_at,"
                                + " touched_at = clock_timestamp()")
                .setParameter(1, tenantId)
                .setParameter(2, userId)
                .setParameter(3, appId)
                .setParameter(4, registrationId)
                .setParameter(5, length)
                .setParameter(6, Timestamp.from(at))
                .executeUpdate();
        afterCommit.run(() -> state.apply(tenantId, userId, appId, registrationId, new Stamped<>(length, at)));
    }

    /**
     * Forgets the account's PINs in {@code appId} ("*" = every app) on {@code registrationId} (empty = every
     * installation): the next sign-in there sets one again.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reset(String tenantId, String userId, String appId, Optional<String> registrationId, Instant at) {
        entityManager
                .createNativeQuery("update pin_registration set pin_length = 0, pin_set_at = ?1,"
                        + " touched_at = clock_timestamp() where tenant_id = ?2 and user_id = ?3"
                        + " and (app_id = ?4 or ?4 = '*') and (registration_id = ?5 or ?6)")
                .setParameter(1, Timestamp.from(at))
                .setParameter(2, tenantId)
                .setParameter(3, userId)
                .setParameter(4, appId)
                .setParameter(5, registrationId.orElse(""))
                .setParameter(6, registrationId.isEmpty())
                .executeUpdate();
        afterCommit.run(() -> state.reset(tenantId, userId, appId, registrationId, at));
    }

    /** Loads every row touched after {@code since} into the in-memory state; returns how many. */
    @Transactional
    public int catchUp(Instant since) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select tenant_id, user_id, app_id, registration_id, pin_length, pin_set_at"
                        + " from pin_registration where touched_at > ?1")
                .setParameter(1, Timestamp.from(since))
                .getResultList();
        for (Object[] row : rows) {
            state.apply(
                    (String) row[0],
                    (String) row[1],
                    (String) row[2],
                    (String) row[3],
                    new Stamped<>(((Number) row[4]).intValue(), instant(row[5])));
        }
        return rows.size();
    }
}
