package dev.bulwark.compliance.policy;

import dev.bulwark.compliance.evaluation.PolicyFanOuts;
import dev.bulwark.compliance.evaluation.PolicyFanOuts.Path;
import dev.bulwark.compliance.evaluation.TenantPolicyLocks;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.RedrivableConsumer;
import dev.bulwark.kit.inbox.Inbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.policies.v1}: keeps the policy projection and re-evaluates the subjects of the changed policy's
 * path in its tenant (app instances for app protection, managed devices for device compliance). The new policy and the
 * plan of its fan-out commit together, under the tenant's lock ({@link TenantPolicyLocks}); the fan-out then runs chunk
 * by chunk ({@link PolicyFanOuts}). Each event is applied once; a transient failure retries it, an undecodable record
 * or a body that is not JSON goes to the dead-letter topic ({@link ConsumerRunner}).
 */
@ApplicationScoped
public class PolicyEventsConsumer implements RedrivableConsumer {

    /** The SmallRye channel bound to bulwark.policies.v1. */
    public static final String CHANNEL = "policies";

    static final String CONSUMER = "compliance-service.policies";

    private static final Logger LOG = Logger.getLogger(PolicyEventsConsumer.class);

    private final Inbox inbox;
    private final Policies policies;
    private final PolicyFanOuts fanOuts;
    private final TenantPolicyLocks locks;
    private final ConsumerRunner runner;

    PolicyEventsConsumer(
            Inbox inbox, Policies policies, PolicyFanOuts fanOuts, TenantPolicyLocks locks, ConsumerRunner runner) {
        this.runner = runner;
        this.inbox = inbox;
        this.policies = policies;
        this.fanOuts = fanOuts;
        this.locks = locks;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecord<String, byte[]> record) {
        // transient failures retry this record, poison is dead-lettered (service-kit ConsumerRunner)
        runner.one(CHANNEL, record, this::apply);
    }

    @Override
    public String topic() {
        return Topics.POLICIES;
    }

    @Override
    public void apply(Decoded decoded) {
        ConsumerRecord<String, byte[]> record = decoded.record();
        SpecificRecord event = decoded.event();
        if (!(event instanceof PolicyChanged changed)) {
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
            return;
        }
        Optional<Long> plan = QuarkusTransaction.requiringNew().call(() -> store(changed));
        // after the change has committed: every check-in from now on reads the new policies
        plan.ifPresent(id -> {
            try {
                fanOuts.run(id);
            } catch (RuntimeException e) {
                // the change is stored and its plan durable: the fan-out job finishes it from where it stopped
                LOG.warnf(e, "Policy fan-out %d stopped; left to the fan-out job", id);
            }
        });
    }

    /** Stores the change and plans its fan-out, in one short transaction that holds the tenant's lock alone. */
    private Optional<Long> store(PolicyChanged changed) {
        locks.exclusive(changed.getTenantId());
        if (!inbox.firstDelivery(CONSUMER, Envelope.eventId(changed)) || !policies.changed(changed)) {
            return Optional.empty();
        }
        if (changed.getPolicyKind() == PolicyKind.APP_PROTECTION) {
            return Optional.of(fanOuts.plan(changed.getTenantId(), Path.APP_PROTECTION, changed.getEventId()));
        } else if (changed.getPolicyKind() == PolicyKind.DEVICE_COMPLIANCE) {
            return Optional.of(fanOuts.plan(changed.getTenantId(), Path.DEVICE_COMPLIANCE, changed.getEventId()));
        }
        return Optional.empty();
    }
}
