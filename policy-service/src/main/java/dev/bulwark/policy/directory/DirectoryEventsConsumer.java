package dev.bulwark.policy.directory;

import dev.bulwark.contract.Envelope;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.kit.inbox.ConsumedEvents;
import dev.bulwark.kit.inbox.Inbox;
import dev.bulwark.policy.configuration.ProfileDelivery;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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
public class DirectoryEventsConsumer {

    /** The SmallRye channel bound to bulwark.directory.v1 in application.properties. */
    public static final String CHANNEL = "directory";

    static final String CONSUMER = "policy-service.directory";

    private static final Logger LOG = Logger.getLogger(DirectoryEventsConsumer.class);

    private final Inbox inbox;
    private final DirectoryStore store;
    private final ProfileDelivery profiles;

    DirectoryEventsConsumer(Inbox inbox, DirectoryStore store, ProfileDelivery profiles) {
        this.inbox = inbox;
        this.store = store;
        this.profiles = profiles;
    }

    @Incoming(CHANNEL)
    @Blocking
    @Transactional
    public void on(ConsumerRecord<String, byte[]> record) {
        SpecificRecord event = ConsumedEvents.decode(record);
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
