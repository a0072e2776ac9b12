package dev.bulwark.registry.managed;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

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
