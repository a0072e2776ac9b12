package dev.bulwark.compliance.projection;

import dev.bulwark.compliance.directory.MemberLocks;
import dev.bulwark.compliance.evaluation.BatchFacts;
import dev.bulwark.compliance.evaluation.BatchFactsReader;
import dev.bulwark.compliance.evaluation.TenantPolicyLocks;
import dev.bulwark.compliance.managed.ManagedCompliance;
import dev.bulwark.compliance.metrics.ComplianceMeters;
import dev.bulwark.compliance.subject.ComplianceSubjects;
import dev.bulwark.compliance.unmanaged.UnmanagedCompliance;
import dev.bulwark.compliance.watermark.ProcessedRecords;
import dev.bulwark.compliance.wipe.SelectiveWipes;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.kit.consumer.ConsumerRunner;
import dev.bulwark.kit.consumer.Decoded;
import dev.bulwark.kit.consumer.RedrivableConsumer;
import dev.bulwark.kit.inbox.Inbox;
import dev.bulwark.kit.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.FlushMode;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Reads {@code bulwark.devices.v1} in batches (the Kafka poll's records): keeps the device and app-instance
 * projections, sends managed and unmanaged check-ins to their own evaluation and retirements to sign-out.
 *
 * <p>A batch is applied in ONE transaction, its records in the order of their partitions (a subject's events share a
 * key, so they stay in order); the check-in path is bound by round trips and commits, and a commit per record cost more
 * than the evaluation. Each event is still applied once: its inbox row commits with its effect. The batch runs through
 * service-kit's {@link ConsumerRunner}: a transient failure (database away, lock timeout, deadlock) retries the whole
 * batch until it commits; a record that cannot be decoded, or that fails for good alone, goes to
 * {@code bulwark.compliance-service.dlq.v1} with its reason and the channel goes on.
 *
 * <p>Everything the batch judges on is read up front into a {@link BatchFacts} (locked rows, directory facts, policies)
 * and passed down, so no record asks the database for a row or a fact; the session then flushes only at commit (no
 * dirty check of the whole batch before each statement), and the batch's inserts go out in JDBC batches.
 */
@ApplicationScoped
public class DeviceEventsConsumer implements RedrivableConsumer {

    /** The SmallRye channel bound to bulwark.devices.v1 in application.properties. */
    public static final String CHANNEL = "devices";
    /** The inbox's name for this consumer. */
    static final String CONSUMER = "compliance-service.devices";

    private static final Logger LOG = Logger.getLogger(DeviceEventsConsumer.class);

    private final Inbox inbox;
    private final ManagedDevices devices;
    private final ManagedCompliance managed;
    private final AppInstances appInstances;
    private final UnmanagedCompliance unmanaged;
    private final SelectiveWipes wipes;
    private final ConsumerRunner runner;
    private final ComplianceSubjects subjects;
    private final MemberLocks memberLocks;
    private final TenantPolicyLocks policyLocks;
    private final BatchFactsReader reader;
    private final EntityManager entityManager;
    private final ProcessedRecords processed;
    private final Outbox outbox;
    private final ComplianceMeters meters;
    private final Clock clock;

    DeviceEventsConsumer(
            Inbox inbox,
            ManagedDevices devices,
            ManagedCompliance managed,
            AppInstances appInstances,
            UnmanagedCompliance unmanaged,
            SelectiveWipes wipes,
            ConsumerRunner runner,
            ComplianceSubjects subjects,
            MemberLocks memberLocks,
            TenantPolicyLocks policyLocks,
            BatchFactsReader reader,
            EntityManager entityManager,
            ProcessedRecords processed,
            Outbox outbox,
            ComplianceMeters meters,
            Clock clock) {
        this.outbox = outbox;
        this.meters = meters;
        this.clock = clock;
        this.processed = processed;
        this.reader = reader;
        this.entityManager = entityManager;
        this.memberLocks = memberLocks;
        this.policyLocks = policyLocks;
        this.subjects = subjects;
        this.wipes = wipes;
        this.inbox = inbox;
        this.devices = devices;
        this.managed = managed;
        this.appInstances = appInstances;
        this.unmanaged = unmanaged;
        this.runner = runner;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void on(ConsumerRecords<String, byte[]> records) {
        runner.batch(CHANNEL, records, batch -> applyBatch(batch, true));
        // every record of the poll is committed or dead-lettered: the event-time watermark may pass them
        processed.processed(records);
    }

    @Override
    public String topic() {
        return Topics.DEVICES;
    }

    /**
     * A re-driven dead letter: a batch of one, in a transaction of its own. It was never under the watermark (deadlines
     * may have fired past it meanwhile), so it is not judged in its event time: its deadlines count from now.
     */
    @Override
    public void apply(Decoded decoded) {
        QuarkusTransaction.requiringNew().run(() -> applyBatch(List.of(decoded), false));
    }

    /** {@code inEventTime}: the records come from their partitions in order, under the watermark. */
    private void applyBatch(List<Decoded> batch, boolean inEventTime) {
        BatchFacts facts = BatchFacts.empty();
        Set<String> fresh = prepare(batch, facts);
        // every read is done: nothing below needs the session flushed before a statement (where a query must see an
        // earlier write, SubjectCompliance flushes explicitly), so Hibernate stops dirty-checking the batch per query
        entityManager.unwrap(Session.class).setHibernateFlushMode(FlushMode.COMMIT);
        // apply takes each event out of fresh as it applies it: the reports decided now are picked first
        List<DeviceStateReported> reports = batch.stream()
                .map(Decoded::event)
                .filter(event -> event instanceof DeviceStateReported && fresh.contains(Envelope.eventId(event)))
                .map(DeviceStateReported.class::cast)
                .toList();
        batch.forEach(decoded -> apply(decoded, fresh, facts, inEventTime));
        if (!reports.isEmpty()) {
            outbox.afterCommit(() -> {
                Instant decided = clock.instant();
                reports.forEach(report -> meters.decided(
                        report.getManagementType().name(), Duration.between(report.getOccurredAt(), decided)));
            });
        }
    }

    /**
     * Shares the batch's tenants' policy locks ({@link TenantPolicyLocks}) and the directory members' locks of the
     * batch's users and devices ({@link MemberLocks}), then locks the rows the
     * batch will change with one query per tenant and table, in the order every writer of them
     * keeps — app instances, then managed devices, then subjects, each in id order; a policy's fan-out locks a chunk's
     * app instances (or devices) and then their subjects, chunk after chunk in id order, and a directory change a user's
     * app instances and devices before their subjects — so the batch does not deadlock with them, and pays one locking
     * round trip per table instead of one per record. Whoever comes second waits for the first to commit and then sees
     * what it wrote, so a report and a policy or directory change that cross are never both judged on the old state.
     * (The offline job locks an app instance and then its subject but skips locked app instances; the deadline job
     * skips locked rows.) The locked rows go into {@code facts}; then, after the locks, the tenants' policies and the
     * directory facts of the batch's users and devices are read into it with one query per kind and tenant, and the
     * batch's events are entered in the inbox. Returns the events applied for the first time.
     */
    private Set<String> prepare(List<Decoded> batch, BatchFacts facts) {
        Map<String, Set<String>> instances = new TreeMap<>();
        Map<String, Set<String>> deviceIds = new TreeMap<>();
        Map<String, Set<String>> subjectIds = new TreeMap<>();
        Map<String, Set<String>> users = new TreeMap<>();
        // the managed devices to judge and their primary users: their groups are read
        Map<String, Set<String>> deviceMembers = new TreeMap<>();
        Map<String, Set<String>> members = new TreeMap<>();
        Set<String> tenants = new TreeSet<>();
        for (Decoded decoded : batch) {
            SpecificRecord event = decoded.event();
            tenants.add(Envelope.tenantId(event));
            if (event instanceof DeviceStateReported report) {
                add(subjectIds, report.getTenantId(), report.getSubjectId());
                add(members, report.getTenantId(), report.getUserId());
                if (report.getManagementType() == ManagementType.UNMANAGED) {
                    add(instances, report.getTenantId(), report.getSubjectId());
                    add(users, report.getTenantId(), report.getUserId());
                } else {
                    add(deviceIds, report.getTenantId(), report.getSubjectId());
                    add(members, report.getTenantId(), report.getSubjectId());
                    add(deviceMembers, report.getTenantId(), report.getSubjectId());
                    add(deviceMembers, report.getTenantId(), report.getUserId());
                }
            } else if (event instanceof AppInstanceRegistered registered
                    && registered.getManagementType() == ManagementType.UNMANAGED) {
                add(instances, registered.getTenantId(), registered.getRegistrationId());
            } else if (event instanceof DeviceRetired retired) {
                add(deviceIds, retired.getTenantId(), retired.getDeviceId());
                add(subjectIds, retired.getTenantId(), retired.getDeviceId());
            } else if (event instanceof DeviceEnrolled enrolled) {
                add(deviceIds, enrolled.getTenantId(), enrolled.getDeviceId());
                add(subjectIds, enrolled.getTenantId(), enrolled.getDeviceId());
                add(members, enrolled.getTenantId(), enrolled.getDeviceId());
                add(members, enrolled.getTenantId(), enrolled.getUserId());
                add(deviceMembers, enrolled.getTenantId(), enrolled.getDeviceId());
                add(deviceMembers, enrolled.getTenantId(), enrolled.getUserId());
            }
        }
        // first the tenants' policy locks (shared): a policy change of the tenant is stored before or after the batch
        policyLocks.shared(tenants);
        members.forEach(memberLocks::shared);
        instances.forEach((tenantId, ids) -> appInstances.lockAll(facts, tenantId, ids));
        deviceIds.forEach((tenantId, ids) -> devices.lockAll(facts, tenantId, ids));
        subjectIds.forEach((tenantId, ids) -> subjects.lockAll(facts, tenantId, ids));
        for (String tenantId : tenants) {
            Set<String> tenantUsers = users.getOrDefault(tenantId, Set.of());
            Set<String> groupsOnly = new TreeSet<>(deviceMembers.getOrDefault(tenantId, Set.of()));
            if (!tenantUsers.isEmpty()) {
                reader.appProtection(facts, tenantId);
            }
            if (!groupsOnly.isEmpty()) {
                reader.deviceCompliance(facts, tenantId);
            }
            groupsOnly.removeAll(tenantUsers);
            reader.readDirectory(facts, tenantId, tenantUsers, groupsOnly);
        }
        // the batch's inbox rows, with one statement: the events not applied before
        return inbox.firstDeliveries(
                CONSUMER, batch.stream().map(d -> Envelope.eventId(d.event())).toList());
    }

    private static void add(Map<String, Set<String>> byTenant, String tenantId, String id) {
        if (id != null) {
            byTenant.computeIfAbsent(tenantId, t -> new TreeSet<>()).add(id);
        }
    }

    /** Applies one decoded record inside the caller's transaction, if it is among the {@code fresh} events. */
    private void apply(Decoded decoded, Set<String> fresh, BatchFacts facts, boolean inEventTime) {
        SpecificRecord event = decoded.event();
        // each event once: a redelivered one, or the second of two copies in one batch, is not applied again
        if (!fresh.remove(Envelope.eventId(event))) {
            return;
        }
        // when the device did it: remediation deadlines count from there (SubjectCompliance#applyVerdict)
        Optional<Instant> eventTime = inEventTime ? Optional.of(Envelope.occurredAt(event)) : Optional.empty();
        if (event instanceof DeviceEnrolled enrolled) {
            ManagedDevice device = devices.enrolled(enrolled, facts);
            // a device enrolled again after it had checked in is judged again on what it last reported
            if (device.lastReportedAt().isPresent()) {
                managed.evaluate(device, facts, Optional.of(enrolled.getEventId()), eventTime);
            }
        } else if (event instanceof DeviceStateReported report) {
            onReport(report, facts, eventTime);
        } else if (event instanceof AppInstanceRegistered registered) {
            // An app on an enrolled device is covered by its device's compliance; only MAM-only instances are subjects.
            if (registered.getManagementType() == ManagementType.UNMANAGED) {
                appInstances.registered(registered, facts);
            }
        } else if (event instanceof DeviceRetired retired) {
            if (devices.retired(retired, facts)) {
                managed.retire(retired, facts);
            }
        } else {
            // A newer event type of the topic that this service does not need.
            LOG.debugf(
                    "Ignoring %s on %s",
                    event.getSchema().getName(), decoded.record().topic());
        }
    }

    private void onReport(DeviceStateReported report, BatchFacts facts, Optional<Instant> eventTime) {
        switch (report.getManagementType()) {
            case MANAGED:
                onManagedReport(report, facts, eventTime);
                return;
            case UNMANAGED:
                onUnmanagedReport(report, facts, eventTime);
                return;
            default:
                LOG.warnf("Ignoring report %s of management type %s", report.getEventId(), report.getManagementType());
        }
    }

    private void onUnmanagedReport(DeviceStateReported report, BatchFacts facts, Optional<Instant> eventTime) {
        // the wipes the app carried out count even when the report is stale for evaluation
        wipes.reported(report);
        appInstances
                .reported(report, facts)
                .ifPresentOrElse(
                        instance -> unmanaged.evaluate(instance, facts, Optional.of(report.getEventId()), eventTime),
                        () -> LOG.infof(
                                "Report %s for app instance %s not evaluated: a newer report was applied",
                                report.getEventId(), report.getSubjectId()));
    }

    private void onManagedReport(DeviceStateReported report, BatchFacts facts, Optional<Instant> eventTime) {
        // a retired device still reports the wipe of its protected apps
        wipes.reported(report);
        devices.reported(report, facts)
                .ifPresentOrElse(
                        device -> managed.evaluate(device, facts, Optional.of(report.getEventId()), eventTime),
                        () -> LOG.infof(
                                "Report %s for device %s not evaluated: the device is retired or a newer report was"
                                        + " applied",
                                report.getEventId(), report.getSubjectId()));
    }
}
