package dev.bulwark.policy.devices;

import dev.bulwark.contract.Envelope;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;

/**
 * The events of one poll of {@code bulwark.devices.v1} to apply (each once, in the order received), sorted per tenant
 * into what the consumer does with them:
 *
 * <ul>
 *   <li>the devices the tenant's events touch, which the consumer locks first, in id order, with one query;
 *   <li>the lifecycle events — every event of a device enrolled or retired in this batch, in their order — applied one
 *       after the other, since an enrollment recomputes the device's profiles from what is stored;
 *   <li>the check-ins of the other devices, whose profile outcomes are applied together (one read, one write);
 *   <li>the app instance registrations, written together.
 * </ul>
 *
 * A device's events share its key, so they come in order within the batch; the order holds within each list, and no
 * device is in two of them. Events of types this service does not use are left out. Pure: no database.
 */
public record DeviceEventBatch(List<OfTenant> tenants) {

    /** One tenant's share of the batch. */
    public record OfTenant(
            String tenantId,
            SortedSet<String> deviceIds,
            List<SpecificRecord> lifecycle,
            List<DeviceStateReported> reports,
            List<AppInstanceRegistered> registrations) {}

    /** Sorts {@code events} (in the order received, each to be applied once) per tenant, tenants in id order. */
    public static DeviceEventBatch of(Collection<SpecificRecord> events) {
        Map<String, List<SpecificRecord>> byTenant = new TreeMap<>();
        for (SpecificRecord event : events) {
            byTenant.computeIfAbsent(Envelope.tenantId(event), t -> new ArrayList<>())
                    .add(event);
        }
        List<OfTenant> tenants = new ArrayList<>();
        byTenant.forEach((tenantId, ofTenant) -> tenants.add(ofTenant(tenantId, ofTenant)));
        return new DeviceEventBatch(List.copyOf(tenants));
    }

    private static OfTenant ofTenant(String tenantId, List<SpecificRecord> events) {
        Set<String> changing = new HashSet<>();
        SortedSet<String> deviceIds = new TreeSet<>();
        for (SpecificRecord event : events) {
            if (event instanceof DeviceEnrolled enrolled) {
                changing.add(enrolled.getDeviceId());
                deviceIds.add(enrolled.getDeviceId());
            } else if (event instanceof DeviceRetired retired) {
                changing.add(retired.getDeviceId());
                deviceIds.add(retired.getDeviceId());
            } else if (event instanceof DeviceStateReported report) {
                deviceIds.add(report.getSubjectId());
            }
        }
        List<SpecificRecord> lifecycle = new ArrayList<>();
        List<DeviceStateReported> reports = new ArrayList<>();
        List<AppInstanceRegistered> registrations = new ArrayList<>();
        for (SpecificRecord event : events) {
            if (event instanceof AppInstanceRegistered registered) {
                registrations.add(registered);
            } else if (event instanceof DeviceStateReported report && !changing.contains(report.getSubjectId())) {
                reports.add(report);
            } else if (event instanceof DeviceEnrolled
                    || event instanceof DeviceRetired
                    || event instanceof DeviceStateReported) {
                lifecycle.add(event);
            }
        }
        return new OfTenant(
                tenantId,
                Collections.unmodifiableSortedSet(deviceIds),
                List.copyOf(lifecycle),
                List.copyOf(reports),
                List.copyOf(registrations));
    }
}
