package dev.bulwark.compliance.projection;

import dev.bulwark.compliance.support.TransactionMemo;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceStateReported;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Keeps the unmanaged app-instance projection current from device-registry's events, within one tenant each. */
@ApplicationScoped
public class AppInstances {

    private static final String HELD = "app-instances.locked";

    private final EntityManager entityManager;
    private final Clock clock;
    private final TransactionMemo memo;

    AppInstances(EntityManager entityManager, Clock clock, TransactionMemo memo) {
        this.entityManager = entityManager;
        this.clock = clock;
        this.memo = memo;
    }

    /**
     * Locks the rows of the tenant's known app instances among {@code registrationIds} with one query, in id order, and
     * keeps them for {@link #reported} and {@link #registered} in this transaction: a batch of check-ins pays one round
     * trip for them, not one per report.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAll(String tenantId, Collection<String> registrationIds) {
        if (registrationIds.isEmpty()) {
            return;
        }
        List<AppInstance> locked = entityManager
                .createQuery(
                        "from AppInstance a where a.tenantId = :tenant and a.registrationId in :registrations"
                                + " order by a.registrationId",
                        AppInstance.class)
                .setParameter("tenant", tenantId)
                .setParameter("registrations", new TreeSet<>(registrationIds))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        Map<String, AppInstance> held = memo.map(HELD);
        locked.forEach(instance -> held.put(key(tenantId, instance.registrationId()), instance));
    }

    public Optional<AppInstance> find(String tenantId, String registrationId) {
        return query(tenantId, registrationId, LockModeType.NONE);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void registered(AppInstanceRegistered event) {
        Instant now = clock.instant();
        AppInstance instance = forUpdate(event.getTenantId(), event.getRegistrationId())
                .orElseGet(() -> add(new AppInstance(
                        event.getTenantId(),
                        event.getRegistrationId(),
                        event.getUserId(),
                        event.getAppId(),
                        event.getPlatform(),
                        now)));
        instance.registered(
                event.getUserId(),
                event.getAppId(),
                event.getPlatform(),
                event.getOsVersion(),
                event.getAppVersion(),
                event.getOccurredAt(),
                now);
    }

    /**
     * Applies an unmanaged check-in and returns the instance to evaluate, or empty when a newer report was already
     * applied. A report for an instance not seen registered creates it, when it names its app.
     *
     * @throws IllegalArgumentException when neither the report nor an earlier registration names the app
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<AppInstance> reported(DeviceStateReported report) {
        Instant now = clock.instant();
        Optional<AppInstance> known = forUpdate(report.getTenantId(), report.getSubjectId());
        AppInstance instance = known.orElseGet(() -> {
            String appId = Optional.ofNullable(report.getAppId())
                    .orElseThrow(() -> new IllegalArgumentException("unmanaged report " + report.getEventId()
                            + " names no appId and registration " + report.getSubjectId() + " is unknown"));
            return add(new AppInstance(
                    report.getTenantId(), report.getSubjectId(), report.getUserId(), appId, report.getPlatform(), now));
        });
        boolean fresh = instance.reported(
                report.getUserId(),
                report.getPlatform(),
                report.getOsVersion(),
                Optional.ofNullable(report.getAppVersion()),
                Optional.ofNullable(report.getPinSet()),
                report.getJailbroken(),
                report.getOccurredAt(),
                now);
        return fresh ? Optional.of(instance) : Optional.empty();
    }

    /**
     * The next {@code limit} of the tenant's app instances that have checked in at least once (the ones a policy change
     * re-evaluates), in registration order after {@code after} (empty: from the first). Read a page at a time, so a
     * tenant of any size is never all in memory and each page's entities stay managed while they are evaluated.
     */
    public List<AppInstance> reportedOf(String tenantId, Optional<String> after, int limit) {
        return entityManager
                .createQuery(
                        "from AppInstance a where a.tenantId = :tenant and a.lastReportedAt is not null"
                                + " and a.registrationId > :after order by a.registrationId",
                        AppInstance.class)
                .setParameter("tenant", tenantId)
                .setParameter("after", after.orElse(""))
                .setMaxResults(limit)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /** The users' app instances that have checked in at least once, locked, in registration order. */
    public List<AppInstance> reportedOfUsers(String tenantId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        return entityManager
                .createQuery(
                        "from AppInstance a where a.tenantId = :tenant and a.userId in :users"
                                + " and a.lastReportedAt is not null order by a.registrationId",
                        AppInstance.class)
                .setParameter("tenant", tenantId)
                .setParameter("users", new TreeSet<>(userIds))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /** The user's app instances that have checked in at least once. */
    public List<AppInstance> reportedOfUser(String tenantId, String userId) {
        return entityManager
                .createQuery(
                        "from AppInstance a where a.tenantId = :tenant and a.userId = :user"
                                + " and a.lastReportedAt is not null order by a.registrationId",
                        AppInstance.class)
                .setParameter("tenant", tenantId)
                .setParameter("user", userId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    private AppInstance add(AppInstance instance) {
        entityManager.persist(instance);
        return instance;
    }

    private Optional<AppInstance> forUpdate(String tenantId, String registrationId) {
        Map<String, AppInstance> held = memo.map(HELD);
        AppInstance locked = held == null ? null : held.get(key(tenantId, registrationId));
        if (locked != null && entityManager.contains(locked)) {
            return Optional.of(locked);
        }
        return query(tenantId, registrationId, LockModeType.PESSIMISTIC_WRITE);
    }

    private static String key(String tenantId, String registrationId) {
        return tenantId + "|" + registrationId;
    }

    private Optional<AppInstance> query(String tenantId, String registrationId, LockModeType lock) {
        return entityManager
                .createQuery(
                        "from AppInstance a where a.tenantId = :tenant and a.registrationId = :registration",
                        AppInstance.class)
                .setParameter("tenant", tenantId)
                .setParameter("registration", registrationId)
                .setLockMode(lock)
                .getResultStream()
                .findFirst();
    }
}
