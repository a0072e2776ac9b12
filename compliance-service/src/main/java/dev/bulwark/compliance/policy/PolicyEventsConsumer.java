package dev.bulwark.compliance.policy;

import dev.bulwark.compliance.access.ConditionalAccess;
import dev.bulwark.compliance.access.ConditionalAccessRule;
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
 * path in its tenant (app instances for app protection, managed devices for device compliance); a conditional-access
 * rule's change records the access decisions it flips on the subjects' timelines ({@link ConditionalAccess}). The new
 * policy and the plan of its fan-out commit together, under the tenant's lock ({@link TenantPolicyLocks}); the fan-out
 * then runs chunk by chunk ({@link PolicyFanOuts}). Each event is applied once; a transient failure retries it, an
 * undecodable record or a body that is not JSON goes to the dead-letter topic ({@link ConsumerRunner}).
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
    private final ConditionalAccess conditionalAccess;

    PolicyEventsConsumer(
            Inbox inbox,
            Policies policies,
            PolicyFanOuts fanOuts,
            TenantPolicyLocks locks,
            ConsumerRunner runner,
            ConditionalAccess conditionalAccess) {
        this.runner = runner;
        this.inbox = inbox;
        this.policies = policies;
        this.fanOuts = fanOuts;
        this.locks = locks;
        this.conditionalAccess = conditionalAccess;
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
        if (!inbox.firstDelivery(CONSUMER, Envelope.eventId(changed))) {
            return Optional.empty();
        }
        boolean rule = changed.getPolicyKind() == PolicyKind.CONDITIONAL_ACCESS;
        Optional<ConditionalAccessRule> before =
                rule ? conditionalAccess.rule(changed.getTenantId(), changed.getPolicyId()) : Optional.empty();
        if (!policies.changed(changed)) {
            return Optional.empty();
        }
        if (changed.getPolicyKind() == PolicyKind.APP_PROTECTION) {
            return Optional.of(fanOuts.plan(changed.getTenantId(), Path.APP_PROTECTION, changed.getEventId()));
        } else if (changed.getPolicyKind() == PolicyKind.DEVICE_COMPLIANCE) {
            return Optional.of(fanOuts.plan(changed.getTenantId(), Path.DEVICE_COMPLIANCE, changed.getEventId()));
        } else if (rule) {
            return planFlips(changed, before);
        }
        return Optional.empty();
    }

    /**
     * A rule change is seen by every access decision from its commit on (decisions are computed at request time); the
     * fan-out only records on the timelines whose decision it flips, so a change that cannot flip one plans nothing.
     */
    private Optional<Long> planFlips(PolicyChanged changed, Optional<ConditionalAccessRule> before) {
        Optional<ConditionalAccessRule> after = conditionalAccess.rule(changed.getTenantId(), changed.getPolicyId());
        if (!ConditionalAccess.mayFlip(before, after)) {
            return Optional.empty();
        }
        long id = fanOuts.plan(changed.getTenantId(), Path.CONDITIONAL_ACCESS, changed.getEventId());
        conditionalAccess.planned(id, changed.getPolicyId(), before, after, changed.getOccurredAt());
        return Optional.of(id);
    }
}
