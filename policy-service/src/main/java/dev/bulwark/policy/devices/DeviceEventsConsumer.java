package dev.bulwark.policy.devices;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.RedrivableConsumer;
import dev.bulwark.kit.inbox.Inbox;
import dev.bulwark.policy.configuration.ProfileDelivery;
import dev.bulwark.policy.configuration.ProfileStatuses;
import dev.bulwark.policy.configuration.TenantProfileLocks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code bulwark.devices.v1} in batches (the Kafka poll's records): enrollments and retirements (which devices
 * are managed, and so can receive configuration profiles), app instance registrations (so that naming one as a profile
 * target is refused with the reason) and managed devices' check-ins (the outcome of each profile).
 *
 * <p>A batch is applied in ONE transaction through service-kit's {@link ConsumerRunner}: its inbox rows are written
 * with one statement, and only the events not applied before are applied, each once, in the order of their
 * partitions ({@link DeviceEventBatch}). Per tenant, the devices the batch touches are locked with one query; the
 * check-ins' profile outcomes are read, decided in memory and written with one query and one JDBC batch; the app
 * instance registrations are written with one JDBC batch; only the devices enrolled or retired in the batch have their
 * events applied one by one (an enrollment recomputes the device's profiles, and sends their commands through the
 * outbox). A transient failure retries the whole batch; a record that fails for good alone goes to
 * {@code bulwark.policy-service.dlq.v1} with its reason while the others are applied.
 */
@ApplicationScoped
public class DeviceEventsConsumer implements RedrivableConsumer {

    /** The SmallRye channel bound to bulwark.devices.v1 in application.properties. */
    public static final String CHANNEL = "devices";

    static final String CONSUMER = "policy-service.devices";

    private final Inbox inbox;
    private final ConsumerRunner runner;
    private final ManagedDevices devices;
    private final ProfileDelivery delivery;
    private final ProfileStatuses statuses;
    private final TenantProfileLocks tenantLocks;

    DeviceEventsConsumer(
            Inbox inbox,
            ManagedDevices devices,
            ProfileDelivery delivery,
            ProfileStatuses statuses,
            TenantProfileLocks tenantLocks,
            ConsumerRunner runner) {
        this.tenantLocks = tenantLocks;
        this.runner = runner;
        this.inbox = inbox;
        this.devices = devices;
        this.delivery = delivery;
        this.statuses = statuses;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecords<String, byte[]> records) {
        runner.batch(CHANNEL, records, this::applyBatch);
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
        // Every check-in of the fleet passes here; only those with profile outcomes change anything (no inbox row).
        List<SpecificRecord> events = batch.stream()
                .map(Decoded::event)
                .filter(event -> !(event instanceof DeviceStateReported report && !ProfileStatuses.hasOutcomes(report)))
                .toList();
        if (events.isEmpty()) {
            return;
        }
        Set<String> fresh = inbox.firstDeliveries(
                CONSUMER, events.stream().map(Envelope::eventId).toList());
        // each event once: a redelivered one, or the second of two copies in one batch, is not applied again
        List<SpecificRecord> firsts = new ArrayList<>();
        for (SpecificRecord event : events) {
            if (fresh.remove(Envelope.eventId(event))) {
                firsts.add(event);
            }
        }
        DeviceEventBatch.of(firsts).tenants().forEach(this::apply);
    }

    private void apply(DeviceEventBatch.OfTenant batch) {
        if (!batch.lifecycle().isEmpty()) {
            // an enrollment reads the tenant's profiles: a profile change of the tenant commits before or after
            tenantLocks.shared(List.of(batch.tenantId()));
        }
        devices.lock(batch.tenantId(), batch.deviceIds());
        // consecutive enrollments get their profiles worked out together, before the next event of another kind is
        // applied, so every event still sees what the ones before it did
        Map<String, String> enrolledDevices = new LinkedHashMap<>();
        for (SpecificRecord event : batch.lifecycle()) {
            if (event instanceof DeviceEnrolled enrolled) {
                devices.enrolled(enrolled);
                enrolledDevices.put(enrolled.getDeviceId(), Envelope.eventId(event));
                continue;
            }
            deliver(batch.tenantId(), enrolledDevices);
            if (event instanceof DeviceRetired retired) {
                devices.retired(retired);
                delivery.retired(retired.getTenantId(), retired.getDeviceId());
            } else if (event instanceof DeviceStateReported report) {
                statuses.reported(batch.tenantId(), List.of(report));
            }
        }
        deliver(batch.tenantId(), enrolledDevices);
        statuses.reported(batch.tenantId(), batch.reports());
        devices.appInstancesRegistered(batch.registrations());
    }

    private void deliver(String tenantId, Map<String, String> enrolledDevices) {
        if (!enrolledDevices.isEmpty()) {
            delivery.ofEnrolled(tenantId, enrolledDevices);
            enrolledDevices.clear();
        }
    }
}
