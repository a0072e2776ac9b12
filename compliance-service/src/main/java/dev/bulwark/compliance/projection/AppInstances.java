package dev.bulwark.compliance.projection;

import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceStateReported;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Keeps the unmanaged app-instance projection current from device-registry's events, within one tenant each. */
@ApplicationScoped
public class AppInstances {

    private final EntityManager entityManager;
    private final Clock clock;

    AppInstances(EntityManager entityManager, Clock clock) {
        this.entityManager = entityManager;
        this.clock = clock;
    }

    public Optional<AppInstance> find(String tenantId, String registrationId) {
        return query(tenantId, registrationId, LockModeType.NONE);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void registered(AppInstanceRegistered event) {
        Instant now = clock.instant();
        AppInstance instance = query(event.getTenantId(), event.getRegistrationId(), LockModeType.PESSIMISTIC_WRITE)
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
        Optional<AppInstance> known =
                query(report.getTenantId(), report.getSubjectId(), LockModeType.PESSIMISTIC_WRITE);
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

    /** The tenant's app instances that have checked in at least once, the ones a policy change re-evaluates. */
    public List<AppInstance> reportedOf(String tenantId) {
        return entityManager
                .createQuery(
                        "from AppInstance a where a.tenantId = :tenant and a.lastReportedAt is not null"
                                + " order by a.registrationId",
                        AppInstance.class)
                .setParameter("tenant", tenantId)
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
                .getResultList();
    }

    private AppInstance add(AppInstance instance) {
        entityManager.persist(instance);
        return instance;
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
