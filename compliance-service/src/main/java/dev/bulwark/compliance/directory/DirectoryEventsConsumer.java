package dev.bulwark.compliance.directory;

import dev.bulwark.compliance.evaluation.Reevaluation;
import dev.bulwark.compliance.evaluation.TenantPolicyLocks;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.RedrivableConsumer;
import dev.bulwark.kit.inbox.Inbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.directory.v1} in batches (the Kafka poll's records): keeps licences, accounts and group
 * memberships, and re-evaluates the subjects of the users (or devices) whose licence, account or groups changed, since
 * that can change which policies apply to them.
 *
 * <p>A batch is one transaction: a directory import brings tens of thousands of changes at once, and a transaction per
 * change (a commit, the locks, the lookups) let them pile up behind the check-ins of the same users. The batch first
 * shares its tenants' policy locks ({@link TenantPolicyLocks}) and takes its members' locks ({@link MemberLocks}), in
 * the order a batch of check-ins takes them; enters its events in the inbox with one statement; applies the changes in
 * order (a newer change wins); then re-evaluates each affected subject once, on the directory as it now stands, naming
 * as cause the last change that concerned it. Failures are handled by {@link ConsumerRunner} as for device events:
 * transient ones retry the batch, poison is dead-lettered.
 */
@ApplicationScoped
public class DirectoryEventsConsumer implements RedrivableConsumer {

    /** The SmallRye channel bound to bulwark.directory.v1. */
    public static final String CHANNEL = "directory";

    static final String CONSUMER = "compliance-service.directory";

    private static final Logger LOG = Logger.getLogger(DirectoryEventsConsumer.class);

    private final Inbox inbox;
    private final Directory directory;
    private final Reevaluation reevaluation;
    private final MemberLocks locks;
    private final TenantPolicyLocks policyLocks;
    private final ConsumerRunner runner;

    DirectoryEventsConsumer(
            Inbox inbox,
            Directory directory,
            Reevaluation reevaluation,
            MemberLocks locks,
            TenantPolicyLocks policyLocks,
            ConsumerRunner runner) {
        this.inbox = inbox;
        this.directory = directory;
        this.reevaluation = reevaluation;
        this.locks = locks;
        this.policyLocks = policyLocks;
        this.runner = runner;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecords<String, byte[]> records) {
        runner.batch(CHANNEL, records, this::applyBatch);
    }

    @Override
    public String topic() {
        return Topics.DIRECTORY;
    }

    /** A re-driven dead letter: a batch of one, in a transaction of its own. */
    @Override
    public void apply(Decoded decoded) {
        QuarkusTransaction.requiringNew().run(() -> applyBatch(List.of(decoded)));
    }

    private void applyBatch(List<Decoded> batch) {
        Map<String, Set<String>> members = new TreeMap<>();
        for (Decoded decoded : batch) {
            member(decoded.event()).ifPresent(member -> members.computeIfAbsent(member.tenantId(), t -> new TreeSet<>())
                    .add(member.memberId()));
        }
        // first of all: a batch of check-ins judging these members' subjects waits for this one, or this for it
        policyLocks.shared(members.keySet());
        members.forEach(locks::exclusive);
        Set<String> fresh = inbox.firstDeliveries(
                CONSUMER, batch.stream().map(d -> Envelope.eventId(d.event())).toList());

        // per tenant: the users and devices whose subjects to judge again, each with the last change that concerned it
        Map<String, Map<String, String>> users = new TreeMap<>();
        Map<String, Map<String, String>> devices = new TreeMap<>();
        for (Decoded decoded : batch) {
            SpecificRecord event = decoded.event();
            String eventId = Envelope.eventId(event);
            if (!fresh.remove(eventId)) {
                continue;
            }
            if (event instanceof UserLicenseChanged licence) {
                if (directory.licenceChanged(licence)) {
                    affected(users, licence.getTenantId(), licence.getUserId(), eventId);
                }
            } else if (event instanceof UserAccountChanged account) {
                // a disabled account breaks the app protection policies' "disabled account" rule on every app instance
                if (directory.accountChanged(account)) {
                    affected(users, account.getTenantId(), account.getUserId(), eventId);
                }
            } else if (event instanceof GroupMembershipChanged membership) {
                if (directory.membershipChanged(membership)) {
                    affected(
                            membership.getGroupKind() == GroupKind.DEVICE ? devices : users,
                            membership.getTenantId(),
                            membership.getMemberId(),
                            eventId);
                }
            } else {
                LOG.debugf(
                        "Ignoring %s on %s",
                        event.getSchema().getName(), decoded.record().topic());
            }
        }
        Set<String> tenants = new TreeSet<>(users.keySet());
        tenants.addAll(devices.keySet());
        for (String tenantId : tenants) {
            reevaluation.ofMembers(
                    tenantId, users.getOrDefault(tenantId, Map.of()), devices.getOrDefault(tenantId, Map.of()));
        }
    }

    private static void affected(Map<String, Map<String, String>> byTenant, String tenantId, String id, String cause) {
        byTenant.computeIfAbsent(tenantId, t -> new LinkedHashMap<>()).put(id, cause);
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
}
