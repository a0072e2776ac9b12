package dev.bulwark.policy.signout;

import dev.bulwark.contract.Envelope;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.kit.inbox.ConsumedEvents;
import dev.bulwark.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.signout.v1}: when compliance-service requires an account to sign out, the account's next
 * sign-in here answers "signed out, sign in again". Applied once per event (inbox); undecodable records go to
 * {@code bulwark.policy-service.dlq.v1}.
 */
@ApplicationScoped
public class SignOutEventsConsumer {

    /** The SmallRye channel bound to bulwark.signout.v1 in application.properties. */
    public static final String CHANNEL = "signouts";

    static final String CONSUMER = "policy-service.signout";

    private static final Logger LOG = Logger.getLogger(SignOutEventsConsumer.class);

    private final Inbox inbox;
    private final SignOutStore store;

    SignOutEventsConsumer(Inbox inbox, SignOutStore store) {
        this.inbox = inbox;
        this.store = store;
    }

    @Incoming(CHANNEL)
    @Blocking
    @Transactional
    public void on(ConsumerRecord<String, byte[]> record) {
        SpecificRecord event = ConsumedEvents.decode(record);
        if (event instanceof SignOutRequired signOut) {
            if (inbox.firstDelivery(CONSUMER, Envelope.eventId(event))) {
                store.required(signOut);
            }
        } else {
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
        }
    }
}
