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
import java.util.stream.Collectors;

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

    /** The devices among {@code deviceIds}, of any tenant (the caller checks): one query. */
    @SuppressWarnings("unchecked")
    public Map<String, ManagedDevice> all(Collection<String> deviceIds) {
        Map<String, ManagedDevice> found = new HashMap<>();
        if (!deviceIds.isEmpty()) {
            ((List<ManagedDevice>) entityManager
                            .createNativeQuery(
                                    "select * from managed_device where device_id = any (cast(?1 as text[]))",
                                    ManagedDevice.class)
                            .setParameter(1, Set.copyOf(deviceIds).toArray(String[]::new))
                            .getResultList())
                    .forEach(device -> found.put(device.deviceId, device));
        }
        return found;
    }

    /** As {@link #find}, holding the row until the transaction ends, so concurrent changes of one device queue up. */
    public Optional<ManagedDevice> findForUpdate(String tenantId, String deviceId) {
        return Optional.ofNullable(entityManager.find(ManagedDevice.class, deviceId, LockModeType.PESSIMISTIC_WRITE))
                .filter(device -> device.tenantId.equals(tenantId));
    }

    /**
     * The active enrollments of the pieces of hardware {@code hardware} names (tenant, hardware id), keyed by {@link
     * #hardwareKey}: one query per tenant among them.
     */
    @SuppressWarnings("unchecked")
    Map<String, ManagedDevice> activeByHardware(Collection<Map.Entry<String, String>> hardware) {
        Map<String, List<String>> byTenant = hardware.stream()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        Map<String, ManagedDevice> active = new HashMap<>();
        // native, with the ids as one array (the statement text does not change with the group's size)
        byTenant.forEach((tenantId, hardwareIds) -> ((List<ManagedDevice>) entityManager
                        .createNativeQuery(
                                "select * from managed_device where tenant_id = ?1"
                                        + " and hardware_id = any (cast(?2 as text[])) and status = 'ACTIVE'",
                                ManagedDevice.class)
                        .setParameter(1, tenantId)
                        .setParameter(2, Set.copyOf(hardwareIds).toArray(String[]::new))
                        .getResultList())
                .forEach(device -> active.put(hardwareKey(device.tenantId, device.hardwareId), device)));
        return active;
    }

    /** A piece of hardware of a tenant as one key. */
    static String hardwareKey(String tenantId, String hardwareId) {
        return tenantId + "\u001f" + hardwareId;
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
