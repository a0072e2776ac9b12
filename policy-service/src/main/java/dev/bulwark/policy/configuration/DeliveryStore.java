package dev.bulwark.policy.configuration;

import static dev.bulwark.policy.support.Columns.instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * The profile_delivery rows: one per device x profile, written in the transaction of the command it records; many at a
 * time with one locking read and one JDBC batch.
 */
@ApplicationScoped
class DeliveryStore {

    private static final String COLUMNS = "device_id, profile_id, profile_type, status, delivered_version,"
            + " delivered_settings, reported_version, reason, command_id, reported_at, updated_at";
    private static final String UPSERT = "insert into profile_delivery (tenant_id, " + COLUMNS + ")"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (tenant_id, device_id, profile_id) do update set"
            + " profile_type = excluded.profile_type, status = excluded.status,"
            + " delivered_version = excluded.delivered_version,"
            + " delivered_settings = excluded.delivered_settings,"
            + " reported_version = excluded.reported_version, reason = excluded.reason,"
            + " command_id = excluded.command_id, reported_at = excluded.reported_at,"
            + " updated_at = excluded.updated_at";

    private final EntityManager entityManager;

    DeliveryStore(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** The rows of these devices, by device and then profile. */
    Map<String, Map<String, DeliveryRow>> ofDevices(String tenantId, List<String> deviceIds) {
        Map<String, Map<String, DeliveryRow>> rows = new HashMap<>();
        if (deviceIds.isEmpty()) {
            return rows;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> result = entityManager
                .createNativeQuery("select " + COLUMNS + " from profile_delivery where tenant_id = :tenant"
                        + " and device_id in (:ids)")
                .setParameter("tenant", tenantId)
                .setParameter("ids", deviceIds)
                .getResultList();
        for (Object[] r : result) {
            DeliveryRow row = row(r);
            rows.computeIfAbsent(row.deviceId(), d -> new HashMap<>()).put(row.profileId(), row);
        }
        return rows;
    }

    /** The rows of one device, oldest profile first. */
    List<DeliveryRow> ofDevice(String tenantId, String deviceId) {
        return ofDevices(tenantId, List.of(deviceId)).getOrDefault(deviceId, Map.of()).values().stream()
                .sorted(java.util.Comparator.comparing(DeliveryRow::profileId))
                .toList();
    }

    /** The rows of one profile, by device id. */
    List<DeliveryRow> ofProfile(String tenantId, String profileId) {
        @SuppressWarnings("unchecked")
        List<Object[]> result = entityManager
                .createNativeQuery("select " + COLUMNS + " from profile_delivery where tenant_id = ?1"
                        + " and profile_id = ?2 order by device_id")
                .setParameter(1, tenantId)
                .setParameter(2, profileId)
                .getResultList();
        return result.stream().map(DeliveryStore::row).toList();
    }

    /**
     * The rows of these devices, by device and then profile, locked for the rest of the transaction with one query (in
     * device and profile order).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    Map<String, Map<String, DeliveryRow>> lockOfDevices(String tenantId, Collection<String> deviceIds) {
        Map<String, Map<String, DeliveryRow>> rows = new HashMap<>();
        if (deviceIds.isEmpty()) {
            return rows;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> result = entityManager
                .createNativeQuery("select " + COLUMNS + " from profile_delivery where tenant_id = :tenant"
                        + " and device_id in (:ids) order by device_id, profile_id for update")
                .setParameter("tenant", tenantId)
                .setParameter("ids", List.copyOf(deviceIds))
                .getResultList();
        for (Object[] r : result) {
            DeliveryRow row = row(r);
            rows.computeIfAbsent(row.deviceId(), d -> new HashMap<>()).put(row.profileId(), row);
        }
        return rows;
    }

    /** Inserts the row or replaces the stored one. */
    @Transactional(Transactional.TxType.MANDATORY)
    void save(String tenantId, DeliveryRow row) {
        saveAll(tenantId, List.of(row));
    }

    /** Inserts or replaces these rows (each device x profile at most once) with one JDBC batch (the driver pipelines it). */
    @Transactional(Transactional.TxType.MANDATORY)
    void saveAll(String tenantId, Collection<DeliveryRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                for (DeliveryRow row : rows) {
                    upsert.setString(1, tenantId);
                    upsert.setString(2, row.deviceId());
                    upsert.setString(3, row.profileId());
                    upsert.setString(4, row.profileType().name());
                    upsert.setString(5, row.status().name());
                    upsert.setLong(6, row.deliveredVersion());
                    upsert.setString(7, row.deliveredSettings());
                    upsert.setObject(8, row.reportedVersion(), Types.BIGINT);
                    upsert.setString(9, row.reason());
                    upsert.setString(10, row.commandId());
                    upsert.setObject(11, timestamp(row.reportedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                    upsert.setObject(12, timestamp(row.updatedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
        });
    }

    /** A retired device holds no profile any more: every row of it becomes REMOVED (no command: it is gone). */
    @Transactional(Transactional.TxType.MANDATORY)
    int retire(String tenantId, String deviceId, Instant at) {
        return entityManager
                .createNativeQuery("update profile_delivery set status = 'REMOVED', reason = 'device retired',"
                        + " updated_at = ?3 where tenant_id = ?1 and device_id = ?2 and status <> 'REMOVED'")
                .setParameter(1, tenantId)
                .setParameter(2, deviceId)
                .setParameter(3, Timestamp.from(at))
                .executeUpdate();
    }

    private static OffsetDateTime timestamp(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private static DeliveryRow row(Object[] r) {
        return new DeliveryRow(
                (String) r[0],
                (String) r[1],
                ProfileType.valueOf((String) r[2]),
                ProfileStatus.valueOf((String) r[3]),
                ((Number) r[4]).longValue(),
                (String) r[5],
                r[6] == null ? null : ((Number) r[6]).longValue(),
                (String) r[7],
                (String) r[8],
                r[9] == null ? null : instant(r[9]),
                instant(r[10]));
    }
}
