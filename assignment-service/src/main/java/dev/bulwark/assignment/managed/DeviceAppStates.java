package dev.bulwark.assignment.managed;

import dev.bulwark.assignment.projection.ManagedDevice;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.Session;

/** Per managed device and app: reads the install state, writes commands sent (batched) and what devices report. */
@ApplicationScoped
public class DeviceAppStates {

    /** A command just sent for one device and app. */
    record Change(
            String deviceId,
            String appId,
            String command,
            String version,
            String commandId,
            boolean installedByService) {}

    private static final int BATCH = 1000;
    private static final String COLUMNS =
            "device_id, app_id, installed_version, installed_by_service, pending_command, pending_version";

    private final EntityManager em;

    DeviceAppStates(EntityManager em) {
        this.em = em;
    }

    static String key(String deviceId, String appId) {
        return deviceId + "\u0000" + appId;
    }

    /** The state of these apps on these devices, by {@link #key}; absent pairs have no row. */
    Map<String, DeviceAppState> of(String tenantId, Collection<String> appIds, List<ManagedDevice> devices) {
        Set<String> wanted = new HashSet<>();
        devices.forEach(d -> wanted.add(d.deviceId()));
        Map<String, DeviceAppState> states = new HashMap<>();
        for (DeviceAppState s : rows(" and app_id in (?2)", tenantId, appIds)) {
            if (wanted.contains(s.deviceId())) {
                states.put(key(s.deviceId(), s.appId()), s);
            }
        }
        return states;
    }

    List<DeviceAppState> installedByService(String tenantId, String appId) {
        return rows(" and app_id = ?2 and installed_by_service", tenantId, appId);
    }

    /** Every app this service knows of on the device. */
    public List<DeviceAppState> ofDevice(String tenantId, String deviceId) {
        return rows(" and device_id = ?2", tenantId, deviceId);
    }

    public Optional<DeviceAppState> find(String tenantId, String deviceId, String appId) {
        return ofDevice(tenantId, deviceId).stream()
                .filter(s -> s.appId().equals(appId))
                .findFirst();
    }

    /** Records the commands sent, in JDBC batches inside the caller's transaction. */
    void apply(String tenantId, List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        em.flush();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("insert into device_app_state"
                    + " (tenant_id, device_id, app_id, installed_by_service, pending_command, pending_version,"
                    + " command_id, updated_at) values (?, ?, ?, ?, ?, ?, ?, now())"
                    + " on conflict (tenant_id, device_id, app_id) do update set"
                    + " installed_by_service = device_app_state.installed_by_service or excluded.installed_by_service,"
                    + " pending_command = excluded.pending_command, pending_version = excluded.pending_version,"
                    + " command_id = excluded.command_id, updated_at = now()")) {
                int inBatch = 0;
                for (Change change : changes) {
                    statement.setString(1, tenantId);
                    statement.setString(2, change.deviceId());
                    statement.setString(3, change.appId());
                    statement.setBoolean(4, change.installedByService());
                    statement.setString(5, change.command());
                    statement.setString(6, change.version());
                    statement.setString(7, change.commandId());
                    statement.addBatch();
                    if (++inBatch == BATCH) {
                        statement.executeBatch();
                        inBatch = 0;
                    }
                }
                if (inBatch > 0) {
                    statement.executeBatch();
                }
            }
        });
    }

    /**
     * A managed device's check-in: the apps it lists are installed at those versions, the others are not. An
     * outstanding command is settled when the report shows its outcome. A report older than the last one is ignored.
     */
    void reported(String tenantId, String deviceId, Map<String, String> installed, Instant at) {
        Map<String, DeviceAppState> known = new HashMap<>();
        ofDevice(tenantId, deviceId).forEach(s -> known.put(s.appId(), s));
        Set<String> apps = new HashSet<>(known.keySet());
        apps.addAll(installed.keySet());
        for (String appId : apps) {
            Optional<String> version = Optional.ofNullable(installed.get(appId));
            DeviceAppState before = known.getOrDefault(appId, DeviceAppState.absent(deviceId, appId));
            boolean settled = before.pendingCommand().isPresent()
                    && (before.pending(DeviceAppState.UNINSTALL)
                            ? version.isEmpty()
                            : version.isPresent() && version.equals(before.pendingVersion()));
            boolean byService = before.installedByService() && !(settled && before.pending(DeviceAppState.UNINSTALL));
            em.createNativeQuery("insert into device_app_state (tenant_id, device_id, app_id, installed_version,"
                            + " installed_by_service, pending_command, pending_version, reported_at, updated_at)"
                            + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, now())"
                            + " on conflict (tenant_id, device_id, app_id) do update set"
                            + " installed_version = excluded.installed_version,"
                            + " installed_by_service = excluded.installed_by_service,"
                            + " pending_command = excluded.pending_command, pending_version = excluded.pending_version,"
                            + " reported_at = excluded.reported_at, updated_at = now()"
                            + " where device_app_state.reported_at is null or device_app_state.reported_at <= ?8")
                    .setParameter(1, tenantId)
                    .setParameter(2, deviceId)
                    .setParameter(3, appId)
                    .setParameter(4, version.orElse(null))
                    .setParameter(5, byService)
                    .setParameter(6, settled ? null : before.pendingCommand().orElse(null))
                    .setParameter(7, settled ? null : before.pendingVersion().orElse(null))
                    .setParameter(8, Timestamp.from(at))
                    .executeUpdate();
        }
    }

    private List<DeviceAppState> rows(String filter, String tenantId, Object second) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select " + COLUMNS + " from device_app_state where tenant_id = ?1" + filter)
                .setParameter(1, tenantId)
                .setParameter(2, second)
                .getResultList();
        return rows.stream()
                .map(r -> new DeviceAppState(
                        (String) r[0],
                        (String) r[1],
                        Optional.ofNullable((String) r[2]),
                        (Boolean) r[3],
                        Optional.ofNullable((String) r[4]),
                        Optional.ofNullable((String) r[5])))
                .toList();
    }
}
