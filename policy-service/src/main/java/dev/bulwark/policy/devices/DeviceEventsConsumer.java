package dev.bulwark.policy.devices;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.OneTransactionPerRecord;
import dev.bulwark.kit.inbox.Inbox;
import dev.bulwark.policy.configuration.ProfileDelivery;
import dev.bulwark.policy.configuration.ProfileStatuses;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code bulwark.devices.v1}: enrollments and retirements (which devices are managed, and so can receive
 * configuration profiles), app instance registrations (so that naming one as a profile target is refused with the
 * reason) and managed devices' check-ins (the outcome of each profile). Each event is applied once, with its
 * consequences (commands through the outbox) in the same transaction; poison goes to the dead-letter topic.
 */
@ApplicationScoped
public class DeviceEventsConsumer implements OneTransactionPerRecord {

    /** The SmallRye channel bound to bulwark.devices.v1 in application.properties. */
    public static final String CHANNEL = "devices";

    static final String CONSUMER = "policy-service.devices";

    private final Inbox inbox;
    private final ConsumerRunner runner;
    private final ManagedDevices devices;
    private final ProfileDelivery delivery;
    private final ProfileStatuses statuses;

    DeviceEventsConsumer(
            Inbox inbox,
            ManagedDevices devices,
            ProfileDelivery delivery,
            ProfileStatuses statuses,
            ConsumerRunner runner) {
        this.runner = runner;
        this.inbox = inbox;
        this.devices = devices;
        this.delivery = delivery;
        this.statuses = statuses;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecord<String, byte[]> record) {
        // a transient failure retries this record, poison goes to the dead-letter topic (service-kit ConsumerRunner)
        runner.one(CHANNEL, record, this::apply);
    }

    @Override
    public String topic() {
        return Topics.DEVICES;
    }

    /** Applies one event with its inbox row (a retry or a re-drive starts afresh). */
    @Override
    public void applyInTransaction(Decoded decoded) {
        SpecificRecord event = decoded.event();
        // Every check-in of the fleet passes here; only those with profile outcomes change anything.
        if (event instanceof DeviceStateReported report && !ProfileStatuses.hasOutcomes(report)) {
            return;
        }
        if (!inbox.firstDelivery(CONSUMER, Envelope.eventId(event))) {
            return;
        }
        Optional<String> cause = Optional.of(Envelope.eventId(event));
        if (event instanceof DeviceEnrolled enrolled) {
            devices.enrolled(enrolled);
            delivery.ofDevice(enrolled.getTenantId(), enrolled.getDeviceId(), cause);
        } else if (event instanceof DeviceRetired retired) {
            devices.retired(retired);
            delivery.retired(retired.getTenantId(), retired.getDeviceId());
        } else if (event instanceof AppInstanceRegistered instance) {
            devices.appInstanceRegistered(instance);
        } else if (event instanceof DeviceStateReported report) {
            statuses.reported(report);
        }
    }
}
