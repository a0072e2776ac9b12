package dev.bulwark.registry.managed;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The tenant-scoped reads of enrolled devices: a device of another tenant is simply not found. */
@ApplicationScoped
public class ManagedDevices {

    private final EntityManager entityManager;

    ManagedDevices(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Optional<ManagedDevice> find(String tenantId, String deviceId) {
        return Optional.ofNullable(entityManager.find(ManagedDevice.class, deviceId))
                .filter(device -> device.tenantId.equals(tenantId));
    }

    /** As {@link #find}, holding the row until the transaction ends, so concurrent changes of one device queue up. */
    public Optional<ManagedDevice> findForUpdate(String tenantId, String deviceId) {
        return Optional.ofNullable(entityManager.find(ManagedDevice.class, deviceId, LockModeType.PESSIMISTIC_WRITE))
                .filter(device -> device.tenantId.equals(tenantId));
    }

    /**
     * The devices among {@code deviceIds} (of any tenant: the caller checks), each held until the transaction ends;
     * locked in id order with one query, so two transactions locking overlapping sets never deadlock.
     */
    Map<String, ManagedDevice> lockAll(Collection<String> deviceIds) {
        Map<String, ManagedDevice> locked = new HashMap<>();
        entityManager
                .createQuery("from ManagedDevice d where d.deviceId in :ids order by d.deviceId", ManagedDevice.class)
                .setParameter("ids", Set.copyOf(deviceIds))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .forEach(device -> locked.put(device.deviceId, device));
        return locked;
    }

    Optional<ManagedDevice> activeByHardware(String tenantId, String hardwareId) {
        return entityManager
                .createQuery(
                        "from ManagedDevice where tenantId = :tenant and hardwareId = :hardware and status = :active",
                        ManagedDevice.class)
                .setParameter("tenant", tenantId)
                .setParameter("hardware", hardwareId)
                .setParameter("active", DeviceStatus.ACTIVE)
                .getResultStream()
                .findFirst();
    }

    long count(String tenantId, Optional<String> userId) {
        var query = entityManager.createQuery(
                "select count(d) from ManagedDevice d where d.tenantId = :tenant"
                        + userId.map(u -> " and d.userId = :user").orElse(""),
                Long.class);
        query.setParameter("tenant", tenantId);
        userId.ifPresent(u -> query.setParameter("user", u));
        return query.getSingleResult();
    }

    List<ManagedDevice> page(String tenantId, Optional<String> userId, int offset, int size) {
        var query = entityManager.createQuery(
                "from ManagedDevice d where d.tenantId = :tenant"
                        + userId.map(u -> " and d.userId = :user").orElse("")
                        + " order by d.enrolledAt, d.deviceId",
                ManagedDevice.class);
        query.setParameter("tenant", tenantId);
        userId.ifPresent(u -> query.setParameter("user", u));
        return query.setFirstResult(offset).setMaxResults(size).getResultList();
    }
}
