package dev.bulwark.compliance.evaluation;

import dev.bulwark.compliance.directory.Directory;
import dev.bulwark.compliance.managed.DeviceCompliancePolicy;
import dev.bulwark.compliance.managed.ManagedCompliance;
import dev.bulwark.compliance.policy.SubjectFacts;
import dev.bulwark.compliance.projection.AppInstance;
import dev.bulwark.compliance.projection.AppInstances;
import dev.bulwark.compliance.projection.ManagedDevice;
import dev.bulwark.compliance.projection.ManagedDevices;
import dev.bulwark.compliance.subject.ComplianceSubjects;
import dev.bulwark.compliance.unmanaged.AppProtectionPolicy;
import dev.bulwark.compliance.unmanaged.UnmanagedCompliance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Evaluates subjects again, from their last check-in, when something other than a check-in may change their verdict: a
 * policy change (every subject of that path in the tenant), a licence or group change (the user's subjects, or the
 * device). All in the triggering event's transaction, so the event and its consequences commit together; a large
 * tenant is handled in chunks (pages in subject-id order) whose directory facts are read with one query each, whose
 * subjects are locked with one query each (in subject-id order, the order a batch of check-ins locks in, so the two
 * never deadlock), and whose persistence context is flushed and cleared after each chunk — never a transaction or a
 * locking round trip per subject. A subject whose verdict does not change is not written.
 */
@ApplicationScoped
public class Reevaluation {

    private static final Logger LOG = Logger.getLogger(Reevaluation.class);

    private final AppInstances appInstances;
    private final ManagedDevices devices;
    private final UnmanagedCompliance unmanaged;
    private final ManagedCompliance managed;
    private final Directory directory;
    private final ComplianceSubjects subjects;
    private final EntityManager entityManager;
    private final int chunkSize;

    Reevaluation(
            AppInstances appInstances,
            ManagedDevices devices,
            UnmanagedCompliance unmanaged,
            ManagedCompliance managed,
            Directory directory,
            ComplianceSubjects subjects,
            EntityManager entityManager,
            @ConfigProperty(name = "bulwark.compliance.reevaluation.chunk-size", defaultValue = "500") int chunkSize) {
        this.appInstances = appInstances;
        this.devices = devices;
        this.unmanaged = unmanaged;
        this.managed = managed;
        this.directory = directory;
        this.subjects = subjects;
        this.entityManager = entityManager;
        this.chunkSize = chunkSize;
    }

    /** The user's licence or user groups changed: their app instances and the devices they are primary user of. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ofUser(String tenantId, String userId, Optional<String> cause) {
        // both locked before any subject: the order every writer of these rows keeps (see DeviceEventsConsumer)
        List<AppInstance> instances = appInstances.reportedOfUser(tenantId, userId);
        List<ManagedDevice> userDevices = devices.reportedOfUser(tenantId, userId);
        for (AppInstance instance : instances) {
            unmanaged.evaluate(instance, cause);
        }
        for (ManagedDevice device : userDevices) {
            managed.evaluate(device, cause);
        }
    }

    /** The device's device groups changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void ofDevice(String tenantId, String deviceId, Optional<String> cause) {
        devices.findForUpdate(tenantId, deviceId)
                .filter(device -> !device.isRetired() && device.lastReportedAt().isPresent())
                .ifPresent(device -> managed.evaluate(device, cause));
    }

    /** An app protection policy of the tenant changed: every app instance of the tenant that has checked in. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int appInstancesOf(String tenantId, Optional<String> cause) {
        List<AppProtectionPolicy> policies = unmanaged.policiesOf(tenantId);
        int count = 0;
        Optional<String> after = Optional.empty();
        List<AppInstance> chunk;
        while (!(chunk = appInstances.reportedOf(tenantId, after, chunkSize)).isEmpty()) {
            List<String> users =
                    chunk.stream().map(AppInstance::userId).distinct().toList();
            Map<String, Set<String>> groups = directory.groupsOf(tenantId, users);
            Set<String> licensed = directory.licensed(tenantId, users);
            Set<String> disabled = directory.disabled(tenantId, users);
            subjects.lockAll(
                    tenantId, chunk.stream().map(AppInstance::registrationId).toList());
            for (AppInstance instance : chunk) {
                SubjectFacts facts = new SubjectFacts(
                        groups.getOrDefault(instance.userId(), Set.of()),
                        Set.of(),
                        licensed.contains(instance.userId()),
                        disabled.contains(instance.userId()));
                unmanaged.evaluate(instance, facts, policies, cause);
            }
            count += chunk.size();
            after = Optional.of(chunk.get(chunk.size() - 1).registrationId());
            endChunk();
        }
        LOG.debugf("Re-evaluated %d app instances of tenant %s", count, tenantId);
        return count;
    }

    /** A device compliance policy of the tenant changed: every device under management that has checked in. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int devicesOf(String tenantId, Optional<String> cause) {
        List<DeviceCompliancePolicy> policies = managed.policiesOf(tenantId);
        int count = 0;
        Optional<String> after = Optional.empty();
        List<ManagedDevice> chunk;
        while (!(chunk = devices.reportedOf(tenantId, after, chunkSize)).isEmpty()) {
            List<String> members = new ArrayList<>();
            chunk.forEach(device -> {
                members.add(device.userId());
                members.add(device.deviceId());
            });
            Map<String, Set<String>> groups = directory.groupsOf(tenantId, members);
            subjects.lockAll(
                    tenantId, chunk.stream().map(ManagedDevice::deviceId).toList());
            for (ManagedDevice device : chunk) {
                SubjectFacts facts = new SubjectFacts(
                        groups.getOrDefault(device.userId(), Set.of()),
                        groups.getOrDefault(device.deviceId(), Set.of()),
                        false);
                managed.evaluate(device, facts, policies, cause);
            }
            count += chunk.size();
            after = Optional.of(chunk.get(chunk.size() - 1).deviceId());
            endChunk();
        }
        LOG.debugf("Re-evaluated %d devices of tenant %s", count, tenantId);
        return count;
    }

    /** Writes the chunk's changes and forgets its entities, so a tenant of any size fits in memory. */
    private void endChunk() {
        entityManager.flush();
        subjects.forgetLocked();
        entityManager.clear();
    }
}
