package dev.bulwark.policy.devices;

import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/**
 * The managed devices and app instances of every tenant, from bulwark.devices.v1. A device event older (by
 * occurredAt) than the row's last change is ignored, so an enrollment redelivered after a retirement does not bring
 * the device back.
 */
@ApplicationScoped
public class ManagedDevices {

    private final EntityManager entityManager;

    ManagedDevices(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void enrolled(DeviceEnrolled event) {
        entityManager
                .createNativeQuery("insert into managed_device (tenant_id, device_id, user_id, platform, retired,"
                        + " changed_at) values (?1, ?2, ?3, ?4, false, ?5)"
                        + " on conflict (tenant_id, device_id) do update set user_id = excluded.user_id,"
                        + " platform = excluded.platform, retired = false, changed_at = excluded.changed_at,"
                        + " touched_at = clock_timestamp() where managed_device.changed_at <= excluded.changed_at")
                .setParameter(1, event.getTenantId())
                .setParameter(2, event.getDeviceId())
                .setParameter(3, event.getUserId())
                .setParameter(4, event.getPlatform().name())
                .setParameter(5, Timestamp.from(event.getOccurredAt()))
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void retired(DeviceRetired event) {
        entityManager
                .createNativeQuery("insert into managed_device (tenant_id, device_id, user_id, platform, retired,"
                        + " changed_at) values (?1, ?2, ?3, 'UNKNOWN', true, ?4)"
                        + " on conflict (tenant_id, device_id) do update set retired = true,"
                        + " changed_at = excluded.changed_at, touched_at = clock_timestamp()"
                        + " where managed_device.changed_at <= excluded.changed_at")
                .setParameter(1, event.getTenantId())
                .setParameter(2, event.getDeviceId())
                .setParameter(3, event.getUserId())
                .setParameter(4, Timestamp.from(event.getOccurredAt()))
                .executeUpdate();
    }

    /** Stores these app instance registrations, in their order, with one JDBC batch (the driver pipelines it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appInstancesRegistered(List<AppInstanceRegistered> events) {
        if (events.isEmpty()) {
            return;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("insert into app_instance (tenant_id,"
                    + " registration_id, user_id, device_id, management_type) values (?, ?, ?, ?, ?)"
                    + " on conflict (tenant_id, registration_id) do update set user_id = excluded.user_id,"
                    + " device_id = excluded.device_id, management_type = excluded.management_type,"
                    + " touched_at = clock_timestamp()")) {
                for (AppInstanceRegistered event : events) {
                    upsert.setString(1, event.getTenantId());
                    upsert.setString(2, event.getRegistrationId());
                    upsert.setString(3, event.getUserId());
                    upsert.setString(4, event.getDeviceId());
                    upsert.setString(5, event.getManagementType().name());
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    /**
     * Locks the rows of these devices, retired or not, in id order (the order every writer of a device and its
     * profile rows keeps) with one query.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String tenantId, Collection<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return;
        }
        entityManager
                .createNativeQuery("select device_id from managed_device where tenant_id = :tenant"
                        + " and device_id in (:ids) order by device_id for update")
                .setParameter("tenant", tenantId)
                .setParameter("ids", List.copyOf(deviceIds))
                .getResultList();
    }

    /** The device, retired or not; empty when this tenant never enrolled it. */
    public Optional<ManagedDevice> find(String tenantId, String deviceId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select device_id, user_id, platform, retired from managed_device"
                        + " where tenant_id = ?1 and device_id = ?2")
                .setParameter(1, tenantId)
                .setParameter(2, deviceId)
                .getResultList();
        return rows.stream().findFirst().map(row -> device(tenantId, row));
    }

    /** The app instance registered under this id in this tenant, if any. */
    public Optional<AppInstanceRow> appInstance(String tenantId, String registrationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select registration_id, user_id, device_id, management_type from app_instance"
                        + " where tenant_id = ?1 and registration_id = ?2")
                .setParameter(1, tenantId)
                .setParameter(2, registrationId)
                .getResultList();
        return rows.stream()
                .findFirst()
                .map(row -> new AppInstanceRow(
                        (String) row[0], (String) row[1], Optional.ofNullable((String) row[2]), (String) row[3]));
    }

    /** Ids of the tenant's devices under management, in id order (the order every writer locks them in). */
    public List<String> activeIds(String tenantId) {
        @SuppressWarnings("unchecked")
        List<String> ids = entityManager
                .createNativeQuery("select device_id from managed_device where tenant_id = ?1 and not retired"
                        + " order by device_id")
                .setParameter(1, tenantId)
                .getResultList();
        return ids;
    }

    /** Ids of the devices under management whose primary user is {@code userId}, in id order. */
    public List<String> activeIdsOfUser(String tenantId, String userId) {
        @SuppressWarnings("unchecked")
        List<String> ids = entityManager
                .createNativeQuery("select device_id from managed_device where tenant_id = ?1 and user_id = ?2"
                        + " and not retired order by device_id")
                .setParameter(1, tenantId)
                .setParameter(2, userId)
                .getResultList();
        return ids;
    }

    /**
     * Locks the rows of these devices (in id order) for the rest of the transaction, so that two triggers for one
     * device — a membership change and a profile change, say — never both send the same command; returns those still
     * under management.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ManagedDevice> lockActive(String tenantId, List<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select device_id, user_id, platform, retired from managed_device"
                        + " where tenant_id = :tenant and device_id in (:ids) order by device_id for update")
                .setParameter("tenant", tenantId)
                .setParameter("ids", deviceIds)
                .getResultList();
        return rows.stream()
                .map(row -> device(tenantId, row))
                .filter(d -> !d.retired())
                .toList();
    }

    private static ManagedDevice device(String tenantId, Object[] row) {
        return new ManagedDevice(tenantId, (String) row[0], (String) row[1], (String) row[2], (Boolean) row[3]);
    }
}
