package dev.bulwark.policy.directory;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.OneTransactionPerRecord;
import dev.bulwark.kit.inbox.Inbox;
import dev.bulwark.policy.configuration.ProfileDelivery;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.directory.v1}: licences and group memberships, which decide who is subject to which policy; a
 * membership change also recomputes the configuration profiles of the managed devices it concerns (same transaction).
 * Each event is applied once (the inbox row commits with its effect); a record that cannot be decoded or applied rolls
 * back and goes to {@code bulwark.policy-service.dlq.v1} while the channel goes on.
 */
@ApplicationScoped
public class DirectoryEventsConsumer implements OneTransactionPerRecord {

    /** The SmallRye channel bound to bulwark.directory.v1 in application.properties. */
    public static final String CHANNEL = "directory";

    static final String CONSUMER = "policy-service.directory";

    private static final Logger LOG = Logger.getLogger(DirectoryEventsConsumer.class);

    private final Inbox inbox;
    private final ConsumerRunner runner;
    private final DirectoryStore store;
    private final ProfileDelivery profiles;

    DirectoryEventsConsumer(Inbox inbox, DirectoryStore store, ProfileDelivery profiles, ConsumerRunner runner) {
        this.runner = runner;
        this.inbox = inbox;
        this.store = store;
        this.profiles = profiles;
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
                store.licenceChanged(licence);
            }
        } else if (event instanceof GroupMembershipChanged membership) {
            if (inbox.firstDelivery(CONSUMER, Envelope.eventId(event))) {
                store.membershipChanged(membership);
                // A membership decides which configuration profiles the user's managed devices (or the device) get.
                Optional<String> cause = Optional.of(Envelope.eventId(event));
                if (membership.getGroupKind() == GroupKind.USER) {
                    profiles.ofUser(membership.getTenantId(), membership.getMemberId(), cause);
                } else {
                    profiles.ofDevice(membership.getTenantId(), membership.getMemberId(), cause);
                }
            }
        } else {
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
        }
    }
}
