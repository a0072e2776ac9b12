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
import dev.bulwark.kit.consumer.OneTransactionPerRecord;
import dev.bulwark.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.devices.v1}: keeps the managed devices and unmanaged app instances this service targets,
 * records what managed devices report as installed, and brings a newly enrolled device its Required apps. Each event
 * is applied once (inbox in the same transaction); what cannot be decoded goes to the dead-letter topic.
 */
@ApplicationScoped
public class DeviceEventsConsumer implements OneTransactionPerRecord {

    /** The SmallRye channel bound to bulwark.devices.v1. */
    public static final String CHANNEL = "devices";

    static final String CONSUMER = "assignment-service.devices";

    private static final Logger LOG = Logger.getLogger(DeviceEventsConsumer.class);

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
    public void on(ConsumerRecord<String, byte[]> record) {
        // a transient failure retries this record, poison goes to the dead-letter topic (service-kit ConsumerRunner);
        // an event this service does nothing with opens no transaction and leaves no inbox row
        runner.one(CHANNEL, record, decoded -> {
            if (changesSomething(decoded.event())) {
                apply(decoded);
            }
        });
    }

    /**
     * Whether this service does anything with {@code event}: every enrollment, retirement and registration, and a
     * managed device's check-in (its installed apps). An app instance's check-in — half the fleet's traffic — and the
     * topic's other event types change nothing here.
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

    /** Applies one event with its inbox row (a retry or a re-drive starts afresh). */
    @Override
    public void applyInTransaction(Decoded decoded) {
        ConsumerRecord<String, byte[]> record = decoded.record();
        SpecificRecord event = decoded.event();
        if (!changesSomething(event)) {
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
            return;
        }
        if (!inbox.firstDelivery(CONSUMER, Envelope.eventId(event))) {
            return;
        }
        if (event instanceof DeviceEnrolled enrolled) {
            projections.deviceEnrolled(
                    enrolled.getTenantId(),
                    enrolled.getDeviceId(),
                    enrolled.getUserId(),
                    enrolled.getPlatform().name());
            projections
                    .device(enrolled.getTenantId(), enrolled.getDeviceId())
                    .ifPresent(device ->
                            managedInstalls.reconcileDevices(enrolled.getTenantId(), List.of(device), "enrollment"));
        } else if (event instanceof DeviceRetired retired) {
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
