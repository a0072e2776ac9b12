package dev.bulwark.compliance.projection;

import dev.bulwark.compliance.evaluation.BatchFacts;
import dev.bulwark.compliance.support.KeyedRowLocks;
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
import java.util.Optional;
import java.util.TreeSet;

/** Keeps the unmanaged app-instance projection current from device-registry's events, within one tenant each. */
@ApplicationScoped
public class AppInstances {

    private final EntityManager entityManager;
    private final Clock clock;

    AppInstances(EntityManager entityManager, Clock clock) {
        this.entityManager = entityManager;
        this.clock = clock;
    }

    /**
     * Locks the rows of the tenant's known app instances among {@code registrationIds} with one query, in id order, and
     * keeps them in {@code batch} for {@link #reported} and {@link #registered}: a batch of check-ins pays one round
     * trip for them, not one per report.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAll(BatchFacts batch, String tenantId, Collection<String> registrationIds) {
        if (registrationIds.isEmpty()) {
            return;
        }
        // native with one array parameter: one statement text for every batch size (see ComplianceSubjects#lockAll)
        @SuppressWarnings("unchecked")
        List<AppInstance> locked = entityManager
                .createNativeQuery(KeyedRowLocks.statement("app_instance", "registration_id"), AppInstance.class)
                .setParameter(1, tenantId)
                .setParameter(2, new TreeSet<>(registrationIds).toArray(String[]::new))
                .getResultList();
        batch.appInstances().locked(tenantId, registrationIds, locked, AppInstance::registrationId);
    }

    public Optional<AppInstance> find(String tenantId, String registrationId) {
        return query(tenantId, registrationId, LockModeType.NONE);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void registered(AppInstanceRegistered event, BatchFacts batch) {
        Instant now = clock.instant();
        AppInstance instance = forUpdate(batch, event.getTenantId(), event.getRegistrationId())
                .orElseGet(() -> add(
                        batch,
                        new AppInstance(
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
    public Optional<AppInstance> reported(DeviceStateReported report, BatchFacts batch) {
        Instant now = clock.instant();
        Optional<AppInstance> known = forUpdate(batch, report.getTenantId(), report.getSubjectId());
        AppInstance instance = known.orElseGet(() -> {
            String appId = Optional.ofNullable(report.getAppId())
                    .orElseThrow(() -> new IllegalArgumentException("unmanaged report " + report.getEventId()
                            + " names no appId and registration " + report.getSubjectId() + " is unknown"));
            return add(
                    batch,
                    new AppInstance(
                            report.getTenantId(),
                            report.getSubjectId(),
                            report.getUserId(),
                            appId,
                            report.getPlatform(),
                            now));
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

    private AppInstance add(BatchFacts batch, AppInstance instance) {
        entityManager.persist(instance);
        batch.appInstances().add(instance.tenantId(), instance.registrationId(), instance);
        return instance;
    }

    /** The instance with its row locked: the one {@code batch} holds, else locked now. */
    private Optional<AppInstance> forUpdate(BatchFacts batch, String tenantId, String registrationId) {
        if (batch.appInstances().knows(tenantId, registrationId)) {
            return batch.appInstances().get(tenantId, registrationId);
        }
        Optional<AppInstance> found = query(tenantId, registrationId, LockModeType.PESSIMISTIC_WRITE);
        found.ifPresent(instance -> batch.appInstances().add(tenantId, registrationId, instance));
        return found;
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
