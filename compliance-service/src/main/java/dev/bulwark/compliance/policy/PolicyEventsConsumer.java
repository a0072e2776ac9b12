package dev.bulwark.compliance.policy;

import dev.bulwark.compliance.evaluation.Reevaluation;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.kit.inbox.ConsumedEvents;
import dev.bulwark.kit.inbox.Inbox;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.policies.v1}: keeps the policy projection and re-evaluates the subjects of the changed policy's
 * path in its tenant (app instances for app protection, managed devices for device compliance). Each event is applied
 * once; an undecodable record or a body that is not JSON goes to the dead-letter topic.
 */
@ApplicationScoped
public class PolicyEventsConsumer {

    /** The SmallRye channel bound to bulwark.policies.v1. */
    public static final String CHANNEL = "policies";

    static final String CONSUMER = "compliance-service.policies";

    private static final Logger LOG = Logger.getLogger(PolicyEventsConsumer.class);

    private final Inbox inbox;
    private final Policies policies;
    private final Reevaluation reevaluation;

    PolicyEventsConsumer(Inbox inbox, Policies policies, Reevaluation reevaluation) {
        this.inbox = inbox;
        this.policies = policies;
        this.reevaluation = reevaluation;
    }

    @Incoming(CHANNEL)
    @Blocking
    @Transactional
    // a change reaching a tenant of 100,000 subjects is re-evaluated in this one transaction: more than the default 60
    // s
    @TransactionConfiguration(timeout = 600)
    public void on(ConsumerRecord<String, byte[]> record) {
        SpecificRecord event = ConsumedEvents.decode(record);
        if (!(event instanceof PolicyChanged changed)) {
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
            return;
        }
        if (!inbox.firstDelivery(CONSUMER, Envelope.eventId(event)) || !policies.changed(changed)) {
            return;
        }
        Optional<String> cause = Optional.of(changed.getEventId());
        if (changed.getPolicyKind() == PolicyKind.APP_PROTECTION) {
            reevaluation.appInstancesOf(changed.getTenantId(), cause);
        } else if (changed.getPolicyKind() == PolicyKind.DEVICE_COMPLIANCE) {
            reevaluation.devicesOf(changed.getTenantId(), cause);
        }
    }
}
