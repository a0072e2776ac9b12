package dev.bulwark.policy.signout;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.RedrivableConsumer;
import dev.bulwark.kit.inbox.Inbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.signout.v1} in batches (the Kafka poll's records): when compliance-service requires an account
 * to sign out, the account's next sign-in here answers "signed out, sign in again". A batch is applied in ONE
 * transaction through service-kit's {@link ConsumerRunner} — its inbox rows with one statement, its sign-outs with one
 * JDBC batch, each event once — so a burst of sign-outs costs a commit per poll, not per event; the in-memory sign-in
 * state learns them after the commit. A transient failure retries the batch; a record that cannot be decoded, or that
 * fails for good alone, goes to {@code bulwark.policy-service.dlq.v1}.
 */
@ApplicationScoped
public class SignOutEventsConsumer implements RedrivableConsumer {

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
    public void on(ConsumerRecords<String, byte[]> records) {
        runner.batch(CHANNEL, records, this::applyBatch);
    }

    @Override
    public String topic() {
        return Topics.SIGNOUT;
    }

    /** A re-driven dead letter: a batch of one, in a transaction of its own. */
    @Override
    public void apply(Decoded decoded) {
        QuarkusTransaction.requiringNew().run(() -> applyBatch(List.of(decoded)));
    }

    private void applyBatch(List<Decoded> batch) {
        List<SignOutRequired> signOuts = new ArrayList<>();
        for (Decoded decoded : batch) {
            if (decoded.event() instanceof SignOutRequired signOut) {
                signOuts.add(signOut);
            } else {
                LOG.debugf(
                        "Ignoring %s on %s",
                        decoded.event().getSchema().getName(), decoded.record().topic());
            }
        }
        if (signOuts.isEmpty()) {
            return;
        }
        Set<String> fresh = inbox.firstDeliveries(
                CONSUMER, signOuts.stream().map(Envelope::eventId).toList());
        // each event once: a redelivered one, or the second of two copies in one batch, is not applied again
        List<SignOutRequired> firsts = new ArrayList<>();
        for (SignOutRequired signOut : signOuts) {
            if (fresh.remove(signOut.getEventId())) {
                firsts.add(signOut);
            }
        }
        store.required(firsts);
    }
}
