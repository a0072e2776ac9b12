package dev.bulwark.policy.signout;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.OneTransactionPerRecord;
import dev.bulwark.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
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
public class SignOutEventsConsumer implements OneTransactionPerRecord {

    /** The SmallRye channel bound to bulwark.signout.v1 in application.properties. */
    public static final String CHANNEL = "signouts";

    static final String CONSUMER = "policy-service.signout";

    private static final Logger LOG = Logger.getLogger(SignOutEventsConsumer.class);

    private final Inbox inbox;
    private final ConsumerRunner runner;
    private final SignOutStore store;

    SignOutEventsConsumer(Inbox inbox, SignOutStore store, ConsumerRunner runner) {
        this.runner = runner;
        this.inbox = inbox;
        this.store = store;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecord<String, byte[]> record) {
        // a transient failure retries this record, poison goes to the dead-letter topic (service-kit ConsumerRunner)
        runner.one(CHANNEL, record, this::apply);
    }

    @Override
    public String topic() {
        return Topics.SIGNOUT;
    }

    /** Applies one event with its inbox row (a retry or a re-drive starts afresh). */
    @Override
    public void applyInTransaction(Decoded decoded) {
        ConsumerRecord<String, byte[]> record = decoded.record();
        SpecificRecord event = decoded.event();
        if (event instanceof SignOutRequired signOut) {
            if (inbox.firstDelivery(CONSUMER, Envelope.eventId(event))) {
                store.required(signOut);
            }
        } else {
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
        }
    }
}
