package dev.bulwark.compliance.projection;

import dev.bulwark.compliance.directory.MemberLocks;
import dev.bulwark.compliance.evaluation.TenantPolicyLocks;
import dev.bulwark.compliance.managed.ManagedCompliance;
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
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
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
    private final ProcessedRecords processed;

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
            ProcessedRecords processed) {
        this.processed = processed;
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
        Set<String> fresh = prepare(batch);
        batch.forEach(decoded -> apply(decoded, fresh, inEventTime));
    }

    /**
     * Shares the batch's tenants' policy locks ({@link TenantPolicyLocks}), takes the directory members' locks of the
     * batch's users and devices ({@link MemberLocks}), then locks the rows the
     * batch will change with one query per tenant and table, in the order every writer of them
     * keeps — app instances, then managed devices, then subjects, each in id order; a policy's fan-out locks a chunk's
     * app instances (or devices) and then their subjects, chunk after chunk in id order, and a directory change a user's
     * app instances and devices before their subjects — so the batch does not deadlock with them, and pays one locking
     * round trip per table instead of one per record. Whoever comes second waits for the first to commit and then sees
     * what it wrote, so a report and a policy or directory change that cross are never both judged on the old state.
     * (The offline job locks an app instance and then its subject but skips locked app instances; the deadline job
     * skips locked rows.) Then, after the locks, the directory facts of the unmanaged reports' users are read once, and
     * the batch's events are entered in the inbox. Returns the events applied for the first time.
     */
    private Set<String> prepare(List<Decoded> batch) {
        Map<String, Set<String>> instances = new TreeMap<>();
        Map<String, Set<String>> deviceIds = new TreeMap<>();
        Map<String, Set<String>> subjectIds = new TreeMap<>();
        Map<String, Set<String>> users = new TreeMap<>();
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
            }
        }
        // first the tenants' policy locks (shared): a policy change of the tenant is stored before or after the batch
        policyLocks.shared(tenants);
        members.forEach(memberLocks::lock);
        instances.forEach(appInstances::lockAll);
        deviceIds.forEach(devices::lockAll);
        subjectIds.forEach(subjects::lockAll);
        users.forEach(unmanaged::readFactsOnce);
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
    private void apply(Decoded decoded, Set<String> fresh, boolean inEventTime) {
        SpecificRecord event = decoded.event();
        // each event once: a redelivered one, or the second of two copies in one batch, is not applied again
        if (!fresh.remove(Envelope.eventId(event))) {
            return;
        }
        // when the device did it: remediation deadlines count from there (SubjectCompliance#applyVerdict)
        Optional<Instant> eventTime = inEventTime ? Optional.of(Envelope.occurredAt(event)) : Optional.empty();
        if (event instanceof DeviceEnrolled enrolled) {
            devices.enrolled(enrolled);
            // a device enrolled again after it had checked in is judged again on what it last reported
            devices.find(enrolled.getTenantId(), enrolled.getDeviceId())
                    .filter(device -> device.lastReportedAt().isPresent())
                    .ifPresent(device -> managed.evaluate(device, Optional.of(enrolled.getEventId()), eventTime));
        } else if (event instanceof DeviceStateReported report) {
            onReport(report, eventTime);
        } else if (event instanceof AppInstanceRegistered registered) {
            // An app on an enrolled device is covered by its device's compliance; only MAM-only instances are subjects.
            if (registered.getManagementType() == ManagementType.UNMANAGED) {
                appInstances.registered(registered);
            }
        } else if (event instanceof DeviceRetired retired) {
            if (devices.retired(retired)) {
                managed.retire(retired);
            }
        } else {
            // A newer event type of the topic that this service does not need.
            LOG.debugf(
                    "Ignoring %s on %s",
                    event.getSchema().getName(), decoded.record().topic());
        }
    }

    private void onReport(DeviceStateReported report, Optional<Instant> eventTime) {
        switch (report.getManagementType()) {
            case MANAGED:
                onManagedReport(report, eventTime);
                return;
            case UNMANAGED:
                onUnmanagedReport(report, eventTime);
                return;
            default:
                LOG.warnf("Ignoring report %s of management type %s", report.getEventId(), report.getManagementType());
        }
    }

    private void onUnmanagedReport(DeviceStateReported report, Optional<Instant> eventTime) {
        // the wipes the app carried out count even when the report is stale for evaluation
        wipes.reported(report);
        appInstances
                .reported(report)
                .ifPresentOrElse(
                        instance -> unmanaged.evaluate(instance, Optional.of(report.getEventId()), eventTime),
                        () -> LOG.infof(
                                "Report %s for app instance %s not evaluated: a newer report was applied",
                                report.getEventId(), report.getSubjectId()));
    }

    private void onManagedReport(DeviceStateReported report, Optional<Instant> eventTime) {
        // a retired device still reports the wipe of its protected apps
        wipes.reported(report);
        if (devices.reported(report)) {
            devices.find(report.getTenantId(), report.getSubjectId())
                    .ifPresent(device -> managed.evaluate(device, Optional.of(report.getEventId()), eventTime));
        } else {
            LOG.infof(
                    "Report %s for device %s not evaluated: the device is retired or a newer report was applied",
                    report.getEventId(), report.getSubjectId());
        }
    }
}
