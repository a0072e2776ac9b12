package dev.bulwark.compliance.projection;

import dev.bulwark.compliance.evaluation.BatchFacts;
import dev.bulwark.compliance.support.JsonColumns;
import dev.bulwark.compliance.support.KeyedRowLocks;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.Platform;
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

/** Keeps the managed-device projection current from device-registry's events, within one tenant each. */
@ApplicationScoped
public class ManagedDevices {

    /** One configuration profile's outcome as the projection keeps it (json). */
    public record ProfileStatus(String profileId, long version, String state, String reason) {}

    private final EntityManager entityManager;
    private final Clock clock;

    private final JsonColumns json;

    ManagedDevices(EntityManager entityManager, Clock clock, JsonColumns json) {
        this.entityManager = entityManager;
        this.json = json;
        this.clock = clock;
    }

    public Optional<ManagedDevice> find(String tenantId, String deviceId) {
        return query(tenantId, deviceId, LockModeType.NONE);
    }

    /** The device with its row locked until the transaction ends: the one {@code batch} holds, else locked now. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ManagedDevice> findForUpdate(BatchFacts batch, String tenantId, String deviceId) {
        if (batch.devices().knows(tenantId, deviceId)) {
            return batch.devices().get(tenantId, deviceId);
        }
        Optional<ManagedDevice> found = query(tenantId, deviceId, LockModeType.PESSIMISTIC_WRITE);
        found.ifPresent(device -> batch.devices().add(tenantId, deviceId, device));
        return found;
    }

    /**
     * Locks the rows of the tenant's known devices among {@code deviceIds} with one query, in id order, and keeps them
     * in {@code batch} (see {@code DeviceEventsConsumer} for the order in which rows are locked).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockAll(BatchFacts batch, String tenantId, Collection<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return;
        }
        // native with one array parameter: one statement text for every batch size (see ComplianceSubjects#lockAll)
        @SuppressWarnings("unchecked")
        List<ManagedDevice> locked = entityManager
                .createNativeQuery(KeyedRowLocks.statement("managed_device", "device_id"), ManagedDevice.class)
                .setParameter(1, tenantId)
                .setParameter(2, new TreeSet<>(deviceIds).toArray(String[]::new))
                .getResultList();
        batch.devices().locked(tenantId, deviceIds, locked, ManagedDevice::deviceId);
    }

    /** Applies an enrollment (again) and returns the device. */
    @Transactional(Transactional.TxType.MANDATORY)
    public ManagedDevice enrolled(DeviceEnrolled event, BatchFacts batch) {
        Instant now = clock.instant();
        ManagedDevice device = findForUpdate(batch, event.getTenantId(), event.getDeviceId())
                .orElseGet(() -> add(
                        batch,
                        new ManagedDevice(
                                event.getTenantId(),
                                event.getDeviceId(),
                                event.getUserId(),
                                event.getPlatform(),
                                event.getOsVersion(),
                                now)));
        device.enrolled(event.getUserId(), event.getPlatform(), event.getOsVersion(), event.getOccurredAt(), now);
        return device;
    }

    /**
     * Applies a managed device's check-in and returns the device to evaluate; empty when the device is retired or a
     * newer report was already applied. A report for a device not seen enrolled yet creates it, so a lost or late
     * DeviceEnrolled does not leave a device unevaluated.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<ManagedDevice> reported(DeviceStateReported report, BatchFacts batch) {
        Instant now = clock.instant();
        ManagedDevice device = findForUpdate(batch, report.getTenantId(), report.getSubjectId())
                .orElseGet(() -> add(
                        batch,
                        new ManagedDevice(
                                report.getTenantId(),
                                report.getSubjectId(),
                                report.getUserId(),
                                report.getPlatform(),
                                report.getOsVersion(),
                                now)));
        if (device.isRetired()) {
            return Optional.empty();
        }
        boolean fresh = device.reported(
                report.getUserId(),
                report.getPlatform(),
                report.getOsVersion(),
                new ManagedDevice.CheckInFacts(
                        Optional.ofNullable(report.getEncrypted()),
                        Optional.ofNullable(report.getPasscodeSet()),
                        report.getJailbroken()),
                json.write(report.getInstalledApps().stream()
                        .map(app -> app.getAppId())
                        .sorted()
                        .toList()),
                json.write(report.getConfigurationProfiles().stream()
                        .map(profile -> new ProfileStatus(
                                profile.getProfileId(),
                                profile.getVersion(),
                                profile.getState().name(),
                                profile.getReason()))
                        .toList()),
                report.getOccurredAt(),
                now);
        return fresh ? Optional.of(device) : Optional.empty();
    }

    /**
     * Marks the device retired; false when it already was. A device never seen enrolled is recorded as retired, so
     * that a late check-in of it is not evaluated.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean retired(DeviceRetired event, BatchFacts batch) {
        Instant now = clock.instant();
        ManagedDevice device = findForUpdate(batch, event.getTenantId(), event.getDeviceId())
                .orElseGet(() -> add(
                        batch,
                        new ManagedDevice(
                                event.getTenantId(),
                                event.getDeviceId(),
                                event.getUserId(),
                                Platform.UNKNOWN,
                                "",
                                now)));
        if (device.isRetired()) {
            return false;
        }
        device.retire(event.getOccurredAt(), now);
        return true;
    }

    /** The tenant's devices under management that have checked in, the ones a policy change re-evaluates. */
    public List<ManagedDevice> reportedOf(String tenantId, Optional<String> after, int limit) {
        return entityManager
                .createQuery(
                        "from ManagedDevice d where d.tenantId = :tenant and not d.retired"
                                + " and d.lastReportedAt is not null and d.deviceId > :after order by d.deviceId",
                        ManagedDevice.class)
                .setParameter("tenant", tenantId)
                .setParameter("after", after.orElse(""))
                .setMaxResults(limit)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /** The user's devices under management that have checked in. */
    public List<ManagedDevice> reportedOfUser(String tenantId, String userId) {
        return entityManager
                .createQuery(
                        "from ManagedDevice d where d.tenantId = :tenant and d.userId = :user and not d.retired"
                                + " and d.lastReportedAt is not null order by d.deviceId",
                        ManagedDevice.class)
                .setParameter("tenant", tenantId)
                .setParameter("user", userId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /**
     * The devices under management that have checked in and whose primary user is among {@code userIds} or which are
     * among {@code deviceIds}: locked, in id order.
     */
    public List<ManagedDevice> reportedOfMembers(
            String tenantId, Collection<String> userIds, Collection<String> deviceIds) {
        if (userIds.isEmpty() && deviceIds.isEmpty()) {
            return List.of();
        }
        String members = userIds.isEmpty()
                ? "d.deviceId in :devices"
                : deviceIds.isEmpty() ? "d.userId in :users" : "(d.userId in :users or d.deviceId in :devices)";
        var query = entityManager
                .createQuery(
                        "from ManagedDevice d where d.tenantId = :tenant and not d.retired"
                                + " and d.lastReportedAt is not null and " + members + " order by d.deviceId",
                        ManagedDevice.class)
                .setParameter("tenant", tenantId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE);
        if (!userIds.isEmpty()) {
            query.setParameter("users", new TreeSet<>(userIds));
        }
        if (!deviceIds.isEmpty()) {
            query.setParameter("devices", new TreeSet<>(deviceIds));
        }
        return query.getResultList();
    }

    private ManagedDevice add(BatchFacts batch, ManagedDevice device) {
        entityManager.persist(device);
        batch.devices().add(device.tenantId(), device.deviceId(), device);
        return device;
    }

    private Optional<ManagedDevice> query(String tenantId, String deviceId, LockModeType lock) {
        return entityManager
                .createQuery(
                        "from ManagedDevice d where d.tenantId = :tenant and d.deviceId = :device", ManagedDevice.class)
                .setParameter("tenant", tenantId)
                .setParameter("device", deviceId)
                .setLockMode(lock)
                .getResultStream()
                .findFirst();
    }
}
