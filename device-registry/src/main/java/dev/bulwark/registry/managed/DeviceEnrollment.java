package dev.bulwark.registry.managed;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.registry.directory.Directory;
import dev.bulwark.registry.directory.DirectoryUser;
import dev.bulwark.registry.shared.GroupCommit;
import dev.bulwark.registry.shared.GroupCommit.Outcome;
import dev.bulwark.registry.shared.KeyLock;
import dev.bulwark.rules.OsPlatform;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Enrolls devices (MDM) and retires them, each with its event in the same transaction. Enrollment is idempotent per
 * piece of hardware: an agent that retries after a lost response gets the device it already has, and nothing is
 * published twice.
 *
 * <p>Enrollments arriving together are applied together ({@link GroupCommit}), as check-ins are: one transaction
 * checks the group's users in the directory with one query, locks its pieces of hardware with one statement (sorted),
 * looks up their active enrollments with one query, and inserts the new devices and their events in batches; each
 * caller is answered after that commit. A refusal (unknown user, hardware enrolled for another user) is that request's
 * own and writes nothing; two enrollments of one piece of hardware in a group are judged in arrival order, so the
 * second gets the device the first created. In a join storm this is one transaction per group instead of five round
 * trips and a commit per device (issue 15, docs/perf/2026-12-06-join.md).
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

    /** An enrollment waiting for its group. */
    record Enroll(String tenantId, Request request, Context trace) {
        String hardwareLock() {
            return KeyLock.name("hardware", tenantId, request.hardwareId());
        }
    }

    private final EntityManager entityManager;
    private final ManagedDevices devices;
    private final Directory directory;
    private final Outbox outbox;
    private final KeyLock keyLock;
    private final Event<DeviceRetirement> retirements;
    private final MeterRegistry meters;
    private final int committers;
    private final int maxGroup;
    private GroupCommit<Enroll, Result> group;

    DeviceEnrollment(
            EntityManager entityManager,
            ManagedDevices devices,
            Directory directory,
            Outbox outbox,
            KeyLock keyLock,
            Event<DeviceRetirement> retirements,
            MeterRegistry meters,
            @ConfigProperty(name = "bulwark.registry.join.committers", defaultValue = "2") int committers,
            @ConfigProperty(name = "bulwark.registry.join.max-group", defaultValue = "100") int maxGroup) {
        this.entityManager = entityManager;
        this.devices = devices;
        this.directory = directory;
        this.outbox = outbox;
        this.keyLock = keyLock;
        this.retirements = retirements;
        this.meters = meters;
        this.committers = committers;
        this.maxGroup = maxGroup;
    }

    @PostConstruct
    void start() {
        group = new GroupCommit<>(
                "device-enrollments", committers, maxGroup, enrollments -> QuarkusTransaction.requiringNew()
                        .call(() -> apply(enrollments)));
        Gauge.builder("bulwark.registry.joins.queued", group, GroupCommit::queued)
                .description("Enrollments and registrations waiting for the next group commit")
                .tag("subject", "device")
                .register(meters);
    }

    @PreDestroy
    void stop() {
        group.stop();
    }

    /**
     * Enrolls the hardware for the user, or returns its active enrollment; returns once the group it joined has
     * committed.
     *
     * @throws ProblemException 422 (userId) for a user the tenant does not have; 409 when the hardware is enrolled for
     *     another user (it must be retired first, as Intune requires)
     */
    public Result enroll(String tenantId, Request request) {
        return group.submit(new Enroll(tenantId, request, Context.current()));
    }

    /** One group, inside its transaction: each enrollment's outcome, in order. */
    List<Outcome<Result>> apply(List<Enroll> enrollments) {
        Set<DirectoryUser.Key> users = directory.present(enrollments.stream()
                .map(e -> new DirectoryUser.Key(e.tenantId(), e.request().userId()))
                .toList());
        keyLock.lockAll(enrollments.stream().map(Enroll::hardwareLock).toList());
        Map<String, ManagedDevice> active = devices.activeByHardware(enrollments.stream()
                .map(e -> Map.entry(e.tenantId(), e.request().hardwareId()))
                .toList());
        Instant now = DeviceEvents.now();
        List<Outcome<Result>> outcomes = new ArrayList<>(enrollments.size());
        for (Enroll enroll : enrollments) {
            Request request = enroll.request();
            if (!users.contains(new DirectoryUser.Key(enroll.tenantId(), request.userId()))) {
                outcomes.add(new Outcome.Refused<>(Directory.unknownUser(request.userId(), "userId")));
                continue;
            }
            ManagedDevice existing = active.get(ManagedDevices.hardwareKey(enroll.tenantId(), request.hardwareId()));
            if (existing != null) {
                outcomes.add(
                        existing.userId.equals(request.userId())
                                ? new Outcome.Done<>(new Result(existing, false))
                                : new Outcome.Refused<>(ProblemException.conflict("The hardware "
                                        + request.hardwareId()
                                        + " is enrolled for another user; retire that device before enrolling it"
                                        + " again.")));
                continue;
            }
            ManagedDevice device = enrolled(enroll.tenantId(), request, now);
            entityManager.persist(device);
            try (Scope traced = enroll.trace().makeCurrent()) {
                outbox.append(Topics.DEVICES, device.deviceId, DeviceEvents.enrolled(device));
            }
            active.put(ManagedDevices.hardwareKey(enroll.tenantId(), request.hardwareId()), device);
            outcomes.add(new Outcome.Done<>(new Result(device, true)));
        }
        return outcomes;
    }

    private static ManagedDevice enrolled(String tenantId, Request request, Instant now) {
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
        device.enrolledAt = now;
        return device;
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
