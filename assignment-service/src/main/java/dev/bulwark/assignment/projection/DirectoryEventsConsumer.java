package dev.bulwark.assignment.projection;

import dev.bulwark.assignment.managed.ManagedInstalls;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.OneTransactionPerRecord;
import dev.bulwark.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.directory.v1}: keeps licences and group memberships, and reconciles the managed devices of the
 * user (or the device) whose licence or groups changed, since that can change which apps are Required for them. Each
 * event is applied once (inbox in the same transaction); what cannot be decoded goes to the dead-letter topic.
 */
@ApplicationScoped
public class DirectoryEventsConsumer implements OneTransactionPerRecord {

    /** The SmallRye channel bound to bulwark.directory.v1. */
    public static final String CHANNEL = "directory";

    static final String CONSUMER = "assignment-service.directory";

    private static final Logger LOG = Logger.getLogger(DirectoryEventsConsumer.class);

    private final Inbox inbox;
    private final ConsumerRunner runner;
    private final Projections projections;
    private final ManagedInstalls managedInstalls;

    DirectoryEventsConsumer(
            Inbox inbox, Projections projections, ManagedInstalls managedInstalls, ConsumerRunner runner) {
        this.runner = runner;
        this.inbox = inbox;
        this.projections = projections;
        this.managedInstalls = managedInstalls;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecord<String, byte[]> record) {
        // a transient failure retries this record, poison goes to the dead-letter topic (service-kit ConsumerRunner)
        runner.one(CHANNEL, record, this::apply);
    }

    @Override
    public String topic() {
        return Topics.DIRECTORY;
    }

    /** Applies one event with its inbox row (a retry or a re-drive starts afresh). */
    @Override
    public void applyInTransaction(Decoded decoded) {
        ConsumerRecord<String, byte[]> record = decoded.record();
        SpecificRecord event = decoded.event();
        if (event instanceof UserLicenseChanged licence) {
            if (inbox.firstDelivery(CONSUMER, Envelope.eventId(event))) {
                projections.licence(licence.getTenantId(), licence.getUserId(), licence.getLicensed());
                managedInstalls.reconcileUser(licence.getTenantId(), licence.getUserId(), "licence change");
            }
        } else if (event instanceof GroupMembershipChanged membership) {
            if (membership.getGroupKind() == GroupKind.UNKNOWN || membership.getChange() == MembershipChange.UNKNOWN) {
                throw new IllegalArgumentException("GroupMembershipChanged " + membership.getEventId()
                        + " has an unknown group kind or change; cannot apply it");
            }
            if (inbox.firstDelivery(CONSUMER, Envelope.eventId(event))) {
                String tenant = membership.getTenantId();
                projections.membership(
                        tenant,
                        membership.getGroupKind().name(),
                        membership.getGroupId(),
                        membership.getMemberId(),
                        membership.getChange() == MembershipChange.ADDED);
                if (membership.getGroupKind() == GroupKind.DEVICE) {
                    projections
                            .device(tenant, membership.getMemberId())
                            .ifPresent(device ->
                                    managedInstalls.reconcileDevices(tenant, List.of(device), "device group change"));
                } else {
                    managedInstalls.reconcileUser(tenant, membership.getMemberId(), "user group change");
                }
            }
        } else {
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
        }
    }
}
