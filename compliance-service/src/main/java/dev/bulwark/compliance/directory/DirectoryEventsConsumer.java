package dev.bulwark.compliance.directory;

import dev.bulwark.compliance.evaluation.Reevaluation;
import dev.bulwark.compliance.evaluation.TenantPolicyLocks;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.kit.inbox.ConsumedEvents;
import dev.bulwark.kit.inbox.Inbox;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.directory.v1}: keeps licences and group memberships, and re-evaluates the subjects of the user
 * (or the device) whose licence or groups changed, since that can change which policies apply to them. Each event is
 * applied once (inbox in the same transaction); what cannot be decoded goes to the dead-letter topic.
 */
@ApplicationScoped
public class DirectoryEventsConsumer {

    /** The SmallRye channel bound to bulwark.directory.v1. */
    public static final String CHANNEL = "directory";

    static final String CONSUMER = "compliance-service.directory";

    private static final Logger LOG = Logger.getLogger(DirectoryEventsConsumer.class);

    private final Inbox inbox;
    private final Directory directory;
    private final Reevaluation reevaluation;
    private final MemberLocks locks;

    private final TenantPolicyLocks policyLocks;

    DirectoryEventsConsumer(
            Inbox inbox,
            Directory directory,
            Reevaluation reevaluation,
            MemberLocks locks,
            TenantPolicyLocks policyLocks) {
        this.policyLocks = policyLocks;
        this.locks = locks;
        this.inbox = inbox;
        this.directory = directory;
        this.reevaluation = reevaluation;
    }

    @Incoming(CHANNEL)
    @Blocking
    @Transactional
    public void on(ConsumerRecord<String, byte[]> record) {
        SpecificRecord event = ConsumedEvents.decode(record);
        // first of all: a batch of check-ins judging this member's subjects waits for this change, or this for it
        member(event).ifPresent(member -> {
            policyLocks.shared(List.of(member.tenantId()));
            locks.lock(member.tenantId(), List.of(member.memberId()));
        });
        if (event instanceof UserLicenseChanged licence) {
            if (firstDelivery(event) && directory.licenceChanged(licence)) {
                reevaluation.ofUser(licence.getTenantId(), licence.getUserId(), cause(event));
            }
        } else if (event instanceof UserAccountChanged account) {
            // a disabled account breaks the app protection policies' "disabled account" rule on every app instance
            if (firstDelivery(event) && directory.accountChanged(account)) {
                reevaluation.ofUser(account.getTenantId(), account.getUserId(), cause(event));
            }
        } else if (event instanceof GroupMembershipChanged membership) {
            if (firstDelivery(event) && directory.membershipChanged(membership)) {
                if (membership.getGroupKind() == GroupKind.DEVICE) {
                    reevaluation.ofDevice(membership.getTenantId(), membership.getMemberId(), cause(event));
                } else {
                    reevaluation.ofUser(membership.getTenantId(), membership.getMemberId(), cause(event));
                }
            }
        } else {
            LOG.debugf("Ignoring %s on %s", event.getSchema().getName(), record.topic());
        }
    }

    private record Member(String tenantId, String memberId) {}

    private static Optional<Member> member(SpecificRecord event) {
        if (event instanceof UserLicenseChanged licence) {
            return Optional.of(new Member(licence.getTenantId(), licence.getUserId()));
        } else if (event instanceof UserAccountChanged account) {
            return Optional.of(new Member(account.getTenantId(), account.getUserId()));
        } else if (event instanceof GroupMembershipChanged membership) {
            return Optional.of(new Member(membership.getTenantId(), membership.getMemberId()));
        }
        return Optional.empty();
    }

    private boolean firstDelivery(SpecificRecord event) {
        return inbox.firstDelivery(CONSUMER, Envelope.eventId(event));
    }

    private static Optional<String> cause(SpecificRecord event) {
        return Optional.of(Envelope.eventId(event));
    }
}
