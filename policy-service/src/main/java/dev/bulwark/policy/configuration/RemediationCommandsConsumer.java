package dev.bulwark.policy.configuration;

import dev.bulwark.contract.Envelope;
import dev.bulwark.events.ManagedRemediationAction;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.kit.inbox.ConsumedEvents;
import dev.bulwark.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
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
public class RemediationCommandsConsumer {

    /** The SmallRye channel bound to bulwark.mdm-commands.v1 in application.properties. */
    public static final String CHANNEL = "mdm-commands";

    static final String CONSUMER = "policy-service.mdm-commands";

    private final Inbox inbox;
    private final ProfileDelivery delivery;

    RemediationCommandsConsumer(Inbox inbox, ProfileDelivery delivery) {
        this.inbox = inbox;
        this.delivery = delivery;
    }

    @Incoming(CHANNEL)
    @Blocking
    @Transactional
    public void on(ConsumerRecord<String, byte[]> record) {
        SpecificRecord event = ConsumedEvents.decode(record);
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
