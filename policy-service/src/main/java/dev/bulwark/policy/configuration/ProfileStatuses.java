package dev.bulwark.policy.configuration;

import dev.bulwark.events.ConfigurationProfileStatus;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.policy.devices.ManagedDevices;
import dev.bulwark.policy.store.PolicyKind;
import dev.bulwark.policy.store.PolicyStore;
import dev.bulwark.policy.store.StoredPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The status of each profile on each device: taken from the device's state reports, and shown to the admin per profile
 * and per device.
 *
 * <p>A report counts only for the version that was delivered: APPLIED or FAILED of an older version leaves the
 * profile PENDING (drifted: the device still holds an old version), with a reason saying so. A report older than the
 * last one applied (by occurredAt) changes nothing; so does a report for a profile never sent to the device.
 */
@ApplicationScoped
public class ProfileStatuses {

    private final DeliveryStore deliveries;
    private final PolicyStore policies;
    private final ManagedDevices devices;
    private final EntityManager entityManager;

    ProfileStatuses(
            DeliveryStore deliveries, PolicyStore policies, ManagedDevices devices, EntityManager entityManager) {
        this.deliveries = deliveries;
        this.policies = policies;
        this.devices = devices;
        this.entityManager = entityManager;
    }

    /**
     * Whether a check-in carries configuration profile outcomes at all; most do not, and those need no transaction, no
     * inbox row and no lookup here.
     */
    public static boolean hasOutcomes(DeviceStateReported report) {
        return report.getManagementType() == ManagementType.MANAGED
                && !report.getConfigurationProfiles().isEmpty();
    }

    /**
     * Applies the configuration profile outcomes of these check-ins of one tenant, in their order: the rows of their
     * devices are read and locked with one query, each outcome is decided in memory ({@link ProfileOutcome}), and the
     * rows that changed are written with one JDBC batch. An outcome for a profile never sent to the device changes
     * nothing. The caller holds the devices' locks (the order every writer of a device's rows keeps).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reported(String tenantId, List<DeviceStateReported> reports) {
        List<DeviceStateReported> withOutcomes =
                reports.stream().filter(ProfileStatuses::hasOutcomes).toList();
        if (withOutcomes.isEmpty()) {
            return;
        }
        Set<String> deviceIds = new TreeSet<>();
        withOutcomes.forEach(report -> deviceIds.add(report.getSubjectId()));
        Map<String, Map<String, DeliveryRow>> rows = deliveries.lockOfDevices(tenantId, deviceIds);
        Map<String, DeliveryRow> changed = new LinkedHashMap<>();
        for (DeviceStateReported report : withOutcomes) {
            Map<String, DeliveryRow> ofDevice = rows.getOrDefault(report.getSubjectId(), Map.of());
            for (ConfigurationProfileStatus reported : report.getConfigurationProfiles()) {
                DeliveryRow row = ofDevice.get(reported.getProfileId());
                if (row == null) {
                    continue;
                }
                ProfileOutcome.applied(row, reported, report.getOccurredAt()).ifPresent(next -> {
                    ofDevice.put(next.profileId(), next);
                    changed.put(next.deviceId() + '\n' + next.profileId(), next);
                });
            }
        }
        deliveries.saveAll(tenantId, changed.values());
    }

    /** Counts by status, and the devices in each, of a live profile of the tenant. */
    public ProfileStatusView ofProfile(String tenantId, String profileId) {
        StoredPolicy profile = policies.get(tenantId, PolicyKind.DEVICE_CONFIGURATION, profileId);
        Map<ProfileStatus, Long> counts = new EnumMap<>(ProfileStatus.class);
        Map<ProfileStatus, List<ProfileStatusView.DeviceEntry>> byStatus = new EnumMap<>(ProfileStatus.class);
        for (ProfileStatus status : ProfileStatus.values()) {
            counts.put(status, 0L);
            byStatus.put(status, new ArrayList<>());
        }
        for (DeliveryRow row : deliveries.ofProfile(tenantId, profileId)) {
            counts.merge(row.status(), 1L, Long::sum);
            byStatus.get(row.status())
                    .add(new ProfileStatusView.DeviceEntry(
                            row.deviceId(),
                            row.deliveredVersion(),
                            row.reportedVersion(),
                            row.reason(),
                            row.updatedAt()));
        }
        return new ProfileStatusView(profile.id(), profile.name(), profile.version(), counts, byStatus);
    }

    /** Every profile row of one device of the tenant; 404 when the tenant never enrolled it. */
    public DeviceProfilesView ofDevice(String tenantId, String deviceId) {
        boolean managed = devices.find(tenantId, deviceId)
                .map(d -> !d.retired())
                .orElseThrow(() -> ProblemException.notFound(
                        "No managed device " + deviceId + " in this tenant (an app instance has no profiles)."));
        List<DeliveryRow> rows = deliveries.ofDevice(tenantId, deviceId);
        Map<String, Object[]> names =
                names(tenantId, rows.stream().map(DeliveryRow::profileId).toList());
        List<DeviceProfilesView.Entry> entries = rows.stream()
                .map(row -> {
                    Object[] name = names.get(row.profileId());
                    return new DeviceProfilesView.Entry(
                            row.profileId(),
                            name == null ? null : (String) name[1],
                            row.profileType(),
                            row.status(),
                            row.deliveredVersion(),
                            row.reportedVersion(),
                            row.reason(),
                            name == null || (Boolean) name[2],
                            row.updatedAt());
                })
                .toList();
        return new DeviceProfilesView(deviceId, managed, entries);
    }

    private Map<String, Object[]> names(String tenantId, List<String> ids) {
        Map<String, Object[]> names = new HashMap<>();
        if (ids.isEmpty()) {
            return names;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select id, name, deleted from policy where tenant_id = :tenant"
                        + " and kind = 'DEVICE_CONFIGURATION' and id in (:ids)")
                .setParameter("tenant", tenantId)
                .setParameter("ids", ids)
                .getResultList();
        rows.forEach(r -> names.put((String) r[0], r));
        return names;
    }
}
