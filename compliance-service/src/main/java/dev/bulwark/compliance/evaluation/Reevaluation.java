package dev.bulwark.compliance.evaluation;

import dev.bulwark.compliance.managed.ManagedCompliance;
import dev.bulwark.compliance.projection.AppInstance;
import dev.bulwark.compliance.projection.AppInstances;
import dev.bulwark.compliance.projection.ManagedDevice;
import dev.bulwark.compliance.projection.ManagedDevices;
import dev.bulwark.compliance.subject.ComplianceSubjects;
import dev.bulwark.compliance.unmanaged.UnmanagedCompliance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Evaluates subjects again, from their last check-in, when something other than a check-in may change their verdict: a
 * policy change (every subject of that path in the tenant, chunk by chunk: see {@link PolicyFanOuts}), a licence or
 * group change (the user's subjects, or the device; in the triggering event's transaction, so the event and its
 * consequences commit together). A chunk is a page in subject-id order, judged on a {@link BatchFacts} of its own:
 * its directory facts read with one query per kind, its tenant's policies once, and its subjects locked with one query (in subject-id order, the order a batch of check-ins locks in, so the
 * two never deadlock) — never a transaction or a locking round trip per subject. A subject whose verdict does not
 * change is not written.
 */
@ApplicationScoped
public class Reevaluation {

    private static final Logger LOG = Logger.getLogger(Reevaluation.class);

    /**
     * A policy or directory change is no event of the subject's device: the deadlines of the remediations it starts
     * count from now, when the subject learns of its new verdict (see SubjectCompliance#applyVerdict).
     */
    private static final Optional<Instant> NO_EVENT_TIME = Optional.empty();

    private final AppInstances appInstances;
    private final ManagedDevices devices;
    private final UnmanagedCompliance unmanaged;
    private final ManagedCompliance managed;
    private final BatchFactsReader facts;
    private final ComplianceSubjects subjects;
    private final int chunkSize;

    Reevaluation(
            AppInstances appInstances,
            ManagedDevices devices,
            UnmanagedCompliance unmanaged,
            ManagedCompliance managed,
            BatchFactsReader facts,
            ComplianceSubjects subjects,
            @ConfigProperty(name = "bulwark.compliance.reevaluation.chunk-size", defaultValue = "500") int chunkSize) {
        this.appInstances = appInstances;
        this.devices = devices;
        this.unmanaged = unmanaged;
        this.managed = managed;
        this.facts = facts;
        this.subjects = subjects;
        this.chunkSize = chunkSize;
    }

    /**
     * Directory changes of the tenant: the app instances and devices of {@code users} (a licence, account or user-group
     * change) and the devices in {@code devices} (a device-group change), each judged once, with the change that
     * concerned it last as cause (a device's own change before its user's). Rows are locked with one query per table, in
     * the order every writer keeps (app instances, devices, subjects, each in id order; see DeviceEventsConsumer); the
     * caller holds the members' locks.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ofMembers(String tenantId, Map<String, String> users, Map<String, String> devices) {
        BatchFacts batch = BatchFacts.empty();
        List<AppInstance> instances = appInstances.reportedOfUsers(tenantId, users.keySet());
        List<ManagedDevice> memberDevices = this.devices.reportedOfMembers(tenantId, users.keySet(), devices.keySet());
        List<String> subjectIds = new ArrayList<>();
        instances.forEach(instance -> subjectIds.add(instance.registrationId()));
        memberDevices.forEach(device -> subjectIds.add(device.deviceId()));
        subjects.lockAll(batch, tenantId, subjectIds);
        readDirectory(batch, tenantId, instances, memberDevices);
        for (AppInstance instance : instances) {
            unmanaged.evaluate(instance, batch, Optional.ofNullable(users.get(instance.userId())), NO_EVENT_TIME);
        }
        for (ManagedDevice device : memberDevices) {
            String cause = devices.getOrDefault(device.deviceId(), users.get(device.userId()));
            managed.evaluate(device, batch, Optional.ofNullable(cause), NO_EVENT_TIME);
        }
    }

    /**
     * One chunk of an app protection policy change's fan-out: the tenant's next app instances that have checked in, in
     * id order after {@code after}. Returns the last one done, or empty when none was left.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> appInstancesAfter(String tenantId, Optional<String> after, Optional<String> cause) {
        List<AppInstance> chunk = appInstances.reportedOf(tenantId, after, chunkSize);
        if (chunk.isEmpty()) {
            return Optional.empty();
        }
        BatchFacts batch = BatchFacts.empty();
        subjects.lockAll(
                batch, tenantId, chunk.stream().map(AppInstance::registrationId).toList());
        readDirectory(batch, tenantId, chunk, List.of());
        for (AppInstance instance : chunk) {
            unmanaged.evaluate(instance, batch, cause, NO_EVENT_TIME);
        }
        LOG.debugf("Re-evaluated %d app instances of tenant %s", chunk.size(), tenantId);
        return Optional.of(chunk.get(chunk.size() - 1).registrationId());
    }

    /**
     * One chunk of a device compliance policy change's fan-out: the tenant's next devices under management that have
     * checked in, in id order after {@code after}. Returns the last one done, or empty when none was left.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> devicesAfter(String tenantId, Optional<String> after, Optional<String> cause) {
        List<ManagedDevice> chunk = devices.reportedOf(tenantId, after, chunkSize);
        if (chunk.isEmpty()) {
            return Optional.empty();
        }
        BatchFacts batch = BatchFacts.empty();
        subjects.lockAll(
                batch, tenantId, chunk.stream().map(ManagedDevice::deviceId).toList());
        readDirectory(batch, tenantId, List.of(), chunk);
        for (ManagedDevice device : chunk) {
            managed.evaluate(device, batch, cause, NO_EVENT_TIME);
        }
        LOG.debugf("Re-evaluated %d devices of tenant %s", chunk.size(), tenantId);
        return Optional.of(chunk.get(chunk.size() - 1).deviceId());
    }

    /**
     * The directory facts of the app instances' users and of the devices and their primary users, one query per kind
     * for the whole chunk, into {@code batch}.
     */
    private void readDirectory(
            BatchFacts batch, String tenantId, List<AppInstance> instances, List<ManagedDevice> chunkDevices) {
        Set<String> users = new TreeSet<>();
        instances.forEach(instance -> users.add(instance.userId()));
        Set<String> members = new TreeSet<>();
        chunkDevices.forEach(device -> {
            members.add(device.deviceId());
            members.add(device.userId());
        });
        members.removeAll(users);
        facts.readDirectory(batch, tenantId, users, members);
    }
}
