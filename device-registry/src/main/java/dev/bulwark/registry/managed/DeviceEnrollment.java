package dev.bulwark.registry.managed;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.registry.directory.Directory;
import dev.bulwark.registry.shared.KeyLock;
import dev.bulwark.rules.OsPlatform;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;

/**
 * Enrolls devices (MDM) and retires them, each with its event in the same transaction. Enrollment is idempotent per
 * piece of hardware: an agent that retries after a lost response gets the device it already has, and nothing is
 * published twice.
 */
@ApplicationScoped
public class DeviceEnrollment {

    /** What the enrollment asked for, already validated. */
    public record Request(
            String userId,
            OsPlatform platform,
            String osVersion,
            Optional<String> model,
            String hardwareId,
            DeviceOwnership ownership) {}

    /** The device and whether this call created it. */
    public record Result(ManagedDevice device, boolean created) {}

    private final EntityManager entityManager;
    private final ManagedDevices devices;
    private final Directory directory;
    private final Outbox outbox;
    private final KeyLock keyLock;
    private final Event<DeviceRetirement> retirements;

    DeviceEnrollment(
            EntityManager entityManager,
            ManagedDevices devices,
            Directory directory,
            Outbox outbox,
            KeyLock keyLock,
            Event<DeviceRetirement> retirements) {
        this.entityManager = entityManager;
        this.devices = devices;
        this.directory = directory;
        this.outbox = outbox;
        this.keyLock = keyLock;
        this.retirements = retirements;
    }

    /**
     * Enrolls the hardware for the user, or returns its active enrollment.
     *
     * @throws ProblemException 422 (userId) for a user the tenant does not have; 409 when the hardware is enrolled for
     *     another user (it must be retired first, as Intune requires)
     */
    @Transactional
    public Result enroll(String tenantId, Request request) {
        directory.require(tenantId, request.userId(), "userId");
        keyLock.lock("hardware", tenantId, request.hardwareId());
        Optional<ManagedDevice> existing = devices.activeByHardware(tenantId, request.hardwareId());
        if (existing.isPresent()) {
            if (!existing.get().userId.equals(request.userId())) {
                throw ProblemException.conflict("The hardware " + request.hardwareId()
                        + " is enrolled for another user; retire that device before enrolling it again.");
            }
            return new Result(existing.get(), false);
        }
        ManagedDevice device = new ManagedDevice();
        device.deviceId = UUID.randomUUID().toString();
        device.tenantId = tenantId;
        device.userId = request.userId();
        device.platform = request.platform();
        device.osVersion = request.osVersion();
        device.model = request.model().orElse(null);
        device.hardwareId = request.hardwareId();
        device.ownership = request.ownership();
        device.status = DeviceStatus.ACTIVE;
        device.enrolledAt = DeviceEvents.now();
        entityManager.persist(device);
        outbox.append(Topics.DEVICES, device.deviceId, DeviceEvents.enrolled(device));
        return new Result(device, true);
    }

    /**
     * Retires the device; false (and nothing published) when it was retired already, so a retried DELETE is harmless.
     *
     * @throws ProblemException 404 when the tenant has no such device
     */
    @Transactional
    public boolean retire(String tenantId, String deviceId, RetirementReason reason, Optional<String> comment) {
        ManagedDevice device = devices.findForUpdate(tenantId, deviceId)
                .orElseThrow(() -> ProblemException.notFound("No device " + deviceId + " in this tenant."));
        if (device.isRetired()) {
            return false;
        }
        device.status = DeviceStatus.RETIRED;
        device.retiredAt = DeviceEvents.now();
        outbox.append(Topics.DEVICES, device.deviceId, DeviceEvents.retired(device, reason, comment.orElse(null)));
        retirements.fire(new DeviceRetirement(tenantId, deviceId));
        return true;
    }
}
