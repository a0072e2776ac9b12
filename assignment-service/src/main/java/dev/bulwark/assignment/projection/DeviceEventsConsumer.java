package dev.bulwark.assignment.projection;

import dev.bulwark.assignment.managed.ManagedInstalls;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.InstalledApp;
import dev.bulwark.events.ManagementType;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.RedrivableConsumer;
import dev.bulwark.kit.inbox.Inbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code bulwark.devices.v1}: keeps the managed devices and unmanaged app instances this service targets,
 * records what managed devices report as installed, and brings a newly enrolled device its Required apps. A poll's
 * records are applied in one transaction, each event once (inbox rows in the same transaction), in their order;
 * consecutive enrollments of a tenant get their Required apps worked out together, before the next event of another
 * kind is applied. What cannot be decoded goes to the dead-letter topic; a batch that fails for good is applied again
 * record by record (service-kit ConsumerRunner).
 */
@ApplicationScoped
public class DeviceEventsConsumer implements RedrivableConsumer {

    /** The SmallRye channel bound to bulwark.devices.v1. */
    public static final String CHANNEL = "devices";

    static final String CONSUMER = "assignment-service.devices";

    private final Inbox inbox;
    private final ConsumerRunner runner;
    private final Projections projections;
    private final ManagedInstalls managedInstalls;

    DeviceEventsConsumer(Inbox inbox, Projections projections, ManagedInstalls managedInstalls, ConsumerRunner runner) {
        this.runner = runner;
        this.inbox = inbox;
        this.projections = projections;
        this.managedInstalls = managedInstalls;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecords<String, byte[]> records) {
        runner.batch(CHANNEL, records, this::applyBatch);
    }

    /**
     * Whether this service does anything with {@code event}: every enrollment, retirement and registration, and a
     * managed device's check-in (its installed apps). An app instance's check-in — half the fleet's traffic — and the
     * topic's other event types change nothing here, and leave no inbox row.
     */
    static boolean changesSomething(SpecificRecord event) {
        return event instanceof DeviceEnrolled
                || event instanceof DeviceRetired
                || event instanceof AppInstanceRegistered
                || (event instanceof DeviceStateReported report
                        && report.getManagementType() == ManagementType.MANAGED);
    }

    @Override
    public String topic() {
        return Topics.DEVICES;
    }

    /** A re-driven dead letter: a batch of one, in a transaction of its own. */
    @Override
    public void apply(Decoded decoded) {
        QuarkusTransaction.requiringNew().run(() -> applyBatch(List.of(decoded)));
    }

    private void applyBatch(List<Decoded> batch) {
        List<SpecificRecord> events = batch.stream()
                .map(Decoded::event)
                .filter(DeviceEventsConsumer::changesSomething)
                .toList();
        if (events.isEmpty()) {
            return;
        }
        Set<String> fresh = inbox.firstDeliveries(
                CONSUMER, events.stream().map(Envelope::eventId).toList());
        Map<String, List<ManagedDevice>> enrolled = new LinkedHashMap<>();
        for (SpecificRecord event : events) {
            // each event once: a redelivered one, or the second of two copies in one batch, is not applied again
            if (!fresh.remove(Envelope.eventId(event))) {
                continue;
            }
            if (event instanceof DeviceEnrolled device) {
                projections.deviceEnrolled(
                        device.getTenantId(),
                        device.getDeviceId(),
                        device.getUserId(),
                        device.getPlatform().name());
                projections.device(device.getTenantId(), device.getDeviceId()).ifPresent(d -> enrolled.computeIfAbsent(
                                device.getTenantId(), t -> new ArrayList<>())
                        .add(d));
                continue;
            }
            reconcile(enrolled);
            applyOther(event);
        }
        reconcile(enrolled);
    }

    /** The enrolled devices' Required apps, one reconciliation per tenant. */
    private void reconcile(Map<String, List<ManagedDevice>> enrolled) {
        enrolled.forEach((tenantId, devices) -> managedInstalls.reconcileDevices(tenantId, devices, "enrollment"));
        enrolled.clear();
    }

    private void applyOther(SpecificRecord event) {
        if (event instanceof DeviceRetired retired) {
            // A retired device drops out of every assignment; it gets no further commands.
            projections.deviceRetired(retired.getTenantId(), retired.getDeviceId());
        } else if (event instanceof AppInstanceRegistered registered) {
            // An app on an enrolled device is reached through its device; only MAM-only instances are kept here.
            if (registered.getManagementType() == ManagementType.UNMANAGED) {
                projections.appInstanceRegistered(new AppInstance(
                        registered.getTenantId(),
                        registered.getRegistrationId(),
                        registered.getUserId(),
                        registered.getAppId(),
                        registered.getPlatform().name()));
            }
        } else if (event instanceof DeviceStateReported report) {
            Map<String, String> installed = new HashMap<>();
            for (InstalledApp app : report.getInstalledApps()) {
                installed.put(app.getAppId(), app.getVersion());
            }
            if (projections.device(report.getTenantId(), report.getSubjectId()).isPresent()) {
                managedInstalls.reported(
                        report.getTenantId(), report.getSubjectId(), installed, Envelope.occurredAt(report));
            }
        }
    }
}
