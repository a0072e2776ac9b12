package dev.bulwark.registry.managed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.rules.OsPlatform;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The rows of a check-in group, in plain JDBC on the transaction's connection: one query locks the group's devices,
 * one batch writes what the group changed. A measured hot path (issue 15, {@code StateReportThroughputBenchmark},
 * docs/perf/2026-12-04-front-door-2.md): loading the devices as Hibernate entities and letting the flush find the
 * changes cost more CPU than the group's SQL; the rest of the service keeps Hibernate.
 */
@ApplicationScoped
public class DeviceCheckInStore {

    /** Locked in id order, so two groups locking overlapping sets wait for each other rather than deadlock. */
    private static final String LOCK = "select device_id, tenant_id, user_id, platform, status, state_reported_at"
            + " from managed_device where device_id = any (?) order by device_id for update";

    private static final String WRITE_STATE = "update managed_device set last_contact_at = ?, state_reported_at = ?,"
            + " os_version = ?, encrypted = ?, passcode_set = ?, jailbroken = ?, installed_apps = ?::jsonb"
            + " where device_id = ?";

    private static final String WRITE_CONTACT = "update managed_device set last_contact_at = ? where device_id = ?";

    /**
     * A device as a check-in group holds it: what the decisions and the event need, and the state the group leaves
     * it in (two reports of one device in a group: the second sees the first's outcome).
     */
    static final class LockedDevice {
        final String deviceId;
        final String tenantId;
        final String userId;
        final OsPlatform platform;
        final boolean retired;
        Instant lastContactAt;
        Instant stateReportedAt;
        String osVersion;
        boolean encrypted;
        boolean passcodeSet;
        boolean jailbroken;
        List<InstalledAppEntry> installedApps = List.of();
        /** The group moved its contact time. */
        boolean contacted;
        /** The group stored a report as its state (else only the contact time is written). */
        boolean stateChanged;

        LockedDevice(
                String deviceId,
                String tenantId,
                String userId,
                OsPlatform platform,
                boolean retired,
                Instant stateReportedAt) {
            this.deviceId = deviceId;
            this.tenantId = tenantId;
            this.userId = userId;
            this.platform = platform;
            this.retired = retired;
            this.stateReportedAt = stateReportedAt;
        }
    }

    private final DataSource dataSource;
    private final ObjectMapper json;

    DeviceCheckInStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** The devices among {@code deviceIds} (of any tenant: the caller checks), each held until the transaction ends. */
    Map<String, LockedDevice> lockAll(Collection<String> deviceIds) {
        Map<String, LockedDevice> locked = new HashMap<>();
        // inside the transaction the pool hands out the connection enlisted in it
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setArray(
                    1,
                    connection.createArrayOf(
                            "text", deviceIds.stream().distinct().toArray()));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    OffsetDateTime reportedAt = rows.getObject(6, OffsetDateTime.class);
                    LockedDevice device = new LockedDevice(
                            rows.getString(1),
                            rows.getString(2),
                            rows.getString(3),
                            OsPlatform.valueOf(rows.getString(4)),
                            DeviceStatus.RETIRED.name().equals(rows.getString(5)),
                            reportedAt == null ? null : reportedAt.toInstant());
                    locked.put(device.deviceId, device);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not lock the check-in group's devices", e);
        }
        return locked;
    }

    /** Writes what the group changed: the whole state where a report was stored, else the contact time. */
    void write(Collection<LockedDevice> devices) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement state = connection.prepareStatement(WRITE_STATE);
                PreparedStatement contact = connection.prepareStatement(WRITE_CONTACT)) {
            int states = 0;
            int contacts = 0;
            for (LockedDevice device : devices) {
                if (device.stateChanged) {
                    state.setObject(1, at(device.lastContactAt));
                    state.setObject(2, at(device.stateReportedAt));
                    state.setString(3, device.osVersion);
                    state.setBoolean(4, device.encrypted);
                    state.setBoolean(5, device.passcodeSet);
                    state.setBoolean(6, device.jailbroken);
                    state.setString(7, json.writeValueAsString(device.installedApps));
                    state.setString(8, device.deviceId);
                    state.addBatch();
                    states++;
                } else if (device.contacted) {
                    contact.setObject(1, at(device.lastContactAt));
                    contact.setString(2, device.deviceId);
                    contact.addBatch();
                    contacts++;
                }
            }
            if (states > 0) {
                state.executeBatch();
            }
            if (contacts > 0) {
                contact.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the check-in group's devices", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise installed apps", e);
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
