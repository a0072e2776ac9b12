package dev.bulwark.policy.configuration;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ManagedRemediationAction;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.OneTransactionPerRecord;
import dev.bulwark.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads {@code bulwark.mdm-commands.v1} for compliance-service's {@code ManagedRemediationRequested} with action
 * REPUSH_CONFIGURATION and answers with {@code ConfigurationProfileApplyRequested} (reason REPUSH) for the named
 * profiles, or every profile assigned to the device when none is named. Every other record on the topic (the other
 * remediation actions, app commands, this service's own profile commands) is ignored.
 */
@ApplicationScoped
public class RemediationCommandsConsumer implements OneTransactionPerRecord {

    /** The SmallRye channel bound to bulwark.mdm-commands.v1 in application.properties. */
    public static final String CHANNEL = "mdm-commands";

    static final String CONSUMER = "policy-service.mdm-commands";

    private final Inbox inbox;
    private final ConsumerRunner runner;
    private final ProfileDelivery delivery;

    RemediationCommandsConsumer(Inbox inbox, ProfileDelivery delivery, ConsumerRunner runner) {
        this.runner = runner;
        this.inbox = inbox;
        this.delivery = delivery;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecord<String, byte[]> record) {
        // a transient failure retries this record, poison goes to the dead-letter topic (service-kit ConsumerRunner)
        runner.one(CHANNEL, record, this::apply);
    }

    @Override
    public String topic() {
        return Topics.MDM_COMMANDS;
    }

    /** Applies one event with its inbox row (a retry or a re-drive starts afresh). */
    @Override
    public void applyInTransaction(Decoded decoded) {
        SpecificRecord event = decoded.event();
        if (event instanceof ManagedRemediationRequested remediation
                && remediation.getAction() == ManagedRemediationAction.REPUSH_CONFIGURATION
                && inbox.firstDelivery(CONSUMER, Envelope.eventId(event))) {
            Set<String> profileIds = remediation.getProfileIds().stream()
                    .map(CharSequence::toString)
                    .collect(Collectors.toSet());
            delivery.repush(
                    remediation.getTenantId(),
                    remediation.getDeviceId(),
                    profileIds,
                    Optional.of(Envelope.eventId(event)));
        }
    }
}
