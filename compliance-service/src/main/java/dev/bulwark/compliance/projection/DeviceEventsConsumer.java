package dev.bulwark.compliance.projection;

import dev.bulwark.compliance.managed.ManagedCompliance;
import dev.bulwark.compliance.unmanaged.UnmanagedCompliance;
import dev.bulwark.compliance.wipe.SelectiveWipes;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.kit.inbox.ConsumedEvents;
import dev.bulwark.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.devices.v1}: keeps the device and app-instance projections, sends managed and unmanaged
 * check-ins to their own evaluation and retirements to sign-out. Each event is applied once (the inbox row commits with its effect); a record that cannot be decoded
 * fails, which rolls back and sends it to {@code bulwark.compliance-service.dlq.v1} while the channel goes on.
 */
@ApplicationScoped
public class DeviceEventsConsumer {

    /** The SmallRye channel bound to bulwark.devices.v1 in application.properties. */
    public static final String CHANNEL = "devices";
    /** The inbox's name for this consumer. */
    static final String CONSUMER = "compliance-service.devices";

    private static final Logger LOG = Logger.getLogger(DeviceEventsConsumer.class);

    private final Inbox inbox;
    private final ManagedDevices devices;
    private final ManagedCompliance managed;
    private final AppInstances appInstances;
    private final UnmanagedCompliance unmanaged;
    private final SelectiveWipes wipes;

    DeviceEventsConsumer(
            Inbox inbox,
            ManagedDevices devices,
            ManagedCompliance managed,
            AppInstances appInstances,
            UnmanagedCompliance unmanaged,
            SelectiveWipes wipes) {
        this.wipes = wipes;
        this.inbox = inbox;
        this.devices = devices;
        this.managed = managed;
        this.appInstances = appInstances;
        this.unmanaged = unmanaged;
    }

    @Incoming(CHANNEL)
    @Blocking
    @Transactional
    public void on(ConsumerRecord<String, byte[]> record) {
        SpecificRecord event = ConsumedEvents.decode(record);
        if (event instanceof DeviceEnrolled enrolled) {
            if (firstDelivery(event)) {
                devices.enrolled(enrolled);
                // a device enrolled again after it had checked in is judged again on what it last reported
                devices.find(enrolled.getTenantId(), enrolled.getDeviceId())
                        .filter(device -> device.lastReportedAt().isPresent())
                        .ifPresent(device -> managed.evaluate(device, Optional.of(enrolled.getEventId())));
            }
        } else if (event instanceof DeviceStateReported report) {
            onReport(report);
        } else if (event instanceof AppInstanceRegistered registered) {
            // An app on an enrolled device is covered by its device's compliance; only MAM-only instances are subjects.
            if (registered.getManagementType() == ManagementType.UNMANAGED && firstDelivery(event)) {
                appInstances.registered(registered);
            }
        } else if (event instanceof DeviceRetired retired) {
            if (firstDelivery(event) && devices.retired(retired)) {
                managed.retire(retired);
            }
        } else {
            // A newer event type of the topic that this service does not need.
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
        }
    }

    private void onReport(DeviceStateReported report) {
        switch (report.getManagementType()) {
            case MANAGED:
                onManagedReport(report);
                return;
            case UNMANAGED:
                onUnmanagedReport(report);
                return;
            default:
                LOG.warnf("Ignoring report %s of management type %s", report.getEventId(), report.getManagementType());
        }
    }

    private void onUnmanagedReport(DeviceStateReported report) {
        if (!firstDelivery(report)) {
            return;
        }
        // the wipes the app carried out count even when the report is stale for evaluation
        wipes.reported(report);
        appInstances
                .reported(report)
                .ifPresentOrElse(
                        instance -> unmanaged.evaluate(instance, Optional.of(report.getEventId())),
                        () -> LOG.infof(
                                "Report %s for app instance %s not evaluated: a newer report was applied",
                                report.getEventId(), report.getSubjectId()));
    }

    private void onManagedReport(DeviceStateReported report) {
        if (!firstDelivery(report)) {
            return;
        }
        // a retired device still reports the wipe of its protected apps
        wipes.reported(report);
        if (devices.reported(report)) {
            devices.find(report.getTenantId(), report.getSubjectId())
                    .ifPresent(device -> managed.evaluate(device, Optional.of(report.getEventId())));
        } else {
            LOG.infof(
                    "Report %s for device %s not evaluated: the device is retired or a newer report was applied",
                    report.getEventId(), report.getSubjectId());
        }
    }

    private boolean firstDelivery(SpecificRecord event) {
        return inbox.firstDelivery(CONSUMER, Envelope.eventId(event));
    }
}
