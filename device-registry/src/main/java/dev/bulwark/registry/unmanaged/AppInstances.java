package dev.bulwark.registry.unmanaged;

import dev.bulwark.contract.Topics;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.registry.directory.Directory;
import dev.bulwark.registry.directory.DirectoryUser;
import dev.bulwark.registry.managed.DeviceRetirement;
import dev.bulwark.registry.managed.ManagedDevice;
import dev.bulwark.registry.managed.ManagedDevices;
import dev.bulwark.registry.shared.GroupCommit;
import dev.bulwark.registry.shared.GroupCommit.Outcome;
import dev.bulwark.registry.shared.KeyLock;
import dev.bulwark.registry.shared.ReportOrder;
import dev.bulwark.registry.shared.WipeOutcome;
import dev.bulwark.registry.unmanaged.AppCheckInStore.LockedInstance;
import dev.bulwark.rules.OsPlatform;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Registers protected apps by a user's identity (MAM) and takes their check-ins, each with its event in the same
 * transaction. Registration is idempotent: the same user + app + installation is the same registrationId, and
 * registering it again publishes nothing. Both registrations and check-ins that arrive together are applied together
 * ({@link GroupCommit}), each caller answered after its group's commit.
 */
@ApplicationScoped
public class AppInstances {

    /** What the app's SDK sends at first sign-in, already validated; the user comes from the token. */
    public record Registration(
            String userId,
            String appId,
            String installationId,
            OsPlatform platform,
            String osVersion,
            String appVersion,
            Optional<String> deviceId) {}

    /** What the app reports at check-in, already validated. */
    public record Report(
            String osVersion,
            String appVersion,
            boolean pinSet,
            boolean jailbroken,
            List<WipeOutcome> selectiveWipeResults,
            Optional<Instant> reportedAt) {}

    /** The instance and whether the call changed it (created it, or applied the report). */
    public record Result(AppInstance instance, boolean changed) {}

    private final EntityManager entityManager;
    private final Directory directory;
    private final ManagedDevices devices;
    private final Outbox outbox;
    private final AppCheckInStore store;
    private final KeyLock keyLock;
    private final Duration maxClockSkew;
    private final MeterRegistry meters;
    private final int committers;
    private final int maxGroup;
    private final int joinCommitters;
    private final int maxJoinGroup;
    private GroupCommit<CheckIn, CheckInResult> checkIns;
    private GroupCommit<Register, Result> registrations;

    AppInstances(
            EntityManager entityManager,
            Directory directory,
            ManagedDevices devices,
            Outbox outbox,
            AppCheckInStore store,
            KeyLock keyLock,
            MeterRegistry meters,
            @ConfigProperty(name = "bulwark.registry.max-clock-skew", defaultValue = "PT5M") Duration maxClockSkew,
            @ConfigProperty(name = "bulwark.registry.check-in.committers", defaultValue = "4") int committers,
            @ConfigProperty(name = "bulwark.registry.check-in.max-group", defaultValue = "200") int maxGroup,
            @ConfigProperty(name = "bulwark.registry.join.committers", defaultValue = "2") int joinCommitters,
            @ConfigProperty(name = "bulwark.registry.join.max-group", defaultValue = "100") int maxJoinGroup) {
        this.committers = committers;
        this.maxGroup = maxGroup;
        this.joinCommitters = joinCommitters;
        this.maxJoinGroup = maxJoinGroup;
        this.entityManager = entityManager;
        this.directory = directory;
        this.devices = devices;
        this.outbox = outbox;
        this.store = store;
        this.keyLock = keyLock;
        this.meters = meters;
        this.maxClockSkew = maxClockSkew;
    }

    public Optional<AppInstance> find(String tenantId, String registrationId) {
        return Optional.ofNullable(entityManager.find(AppInstance.class, registrationId))
                .filter(instance -> instance.tenantId.equals(tenantId));
    }

    /**
     * Registers the app instance, or returns the one already registered; returns once the group it joined has
     * committed. Registrations arriving together are applied together, as enrollments are ({@link
     * dev.bulwark.registry.managed.DeviceEnrollment}): one query for the group's users, one statement locking its
     * registration ids (sorted), one query for those already registered and one for the devices they name.
     *
     * @throws ProblemException 422 when the token's user is not in the directory (userId) or {@code deviceId} is not
     *     an active enrolled device of that user (deviceId)
     */
    public Result register(String tenantId, Registration registration) {
        return registrations.submit(new Register(
                tenantId,
                RegistrationIds.of(
                        tenantId, registration.userId(), registration.appId(), registration.installationId()),
                registration));
    }

    /** A registration waiting for its group, with the id it derives to. */
    record Register(String tenantId, String registrationId, Registration registration) {}

    /** One group of registrations, inside its transaction: each one's outcome, in order. */
    List<Outcome<Result>> register(List<Register> group) {
        Set<DirectoryUser.Key> users = directory.present(group.stream()
                .map(r -> new DirectoryUser.Key(r.tenantId(), r.registration().userId()))
                .toList());
        keyLock.lockAll(group.stream()
                .map(r -> KeyLock.name("app-instance", r.tenantId(), r.registrationId()))
                .toList());
        Map<String, AppInstance> registered = new HashMap<>();
        // native, with the ids as one array (the statement text does not change with the group's size)
        @SuppressWarnings("unchecked")
        List<AppInstance> existing = entityManager
                .createNativeQuery(
                        "select * from app_instance where registration_id = any (cast(?1 as text[]))",
                        AppInstance.class)
                .setParameter(
                        1,
                        group.stream().map(Register::registrationId).distinct().toArray(String[]::new))
                .getResultList();
        existing.forEach(instance -> registered.put(instance.registrationId, instance));
        Map<String, ManagedDevice> linked = devices.all(group.stream()
                .flatMap(r -> r.registration().deviceId().stream())
                .collect(Collectors.toSet()));
        Instant now = AppInstanceEvents.now();
        List<Outcome<Result>> outcomes = new ArrayList<>(group.size());
        for (Register register : group) {
            Registration registration = register.registration();
            if (!users.contains(new DirectoryUser.Key(register.tenantId(), registration.userId()))) {
                outcomes.add(new Outcome.Refused<>(Directory.unknownUser(registration.userId(), "userId")));
                continue;
            }
            AppInstance already = registered.get(register.registrationId());
            if (already != null) {
                outcomes.add(new Outcome.Done<>(new Result(already, false)));
                continue;
            }
            Optional<ManagedDevice> device = registration.deviceId().map(linked::get);
            if (registration.deviceId().isPresent()
                    && device.filter(d -> d.tenantId.equals(register.tenantId())
                                    && !d.isRetired()
                                    && d.userId.equals(registration.userId()))
                            .isEmpty()) {
                outcomes.add(new Outcome.Refused<>(ProblemException.unprocessable(
                        "deviceId",
                        "no active enrolled device '" + registration.deviceId().get() + "' of this user")));
                continue;
            }
            AppInstance instance = new AppInstance();
            instance.registrationId = register.registrationId();
            instance.tenantId = register.tenantId();
            instance.userId = registration.userId();
            instance.appId = registration.appId();
            instance.installationId = registration.installationId();
            instance.platform = registration.platform();
            instance.osVersion = registration.osVersion();
            instance.appVersion = registration.appVersion();
            instance.deviceId = device.map(d -> d.deviceId).orElse(null);
            instance.managementType = device.isPresent() ? InstanceManagement.MANAGED : InstanceManagement.UNMANAGED;
            instance.registeredAt = now;
            entityManager.persist(instance);
            outbox.append(Topics.DEVICES, instance.registrationId, AppInstanceEvents.registered(instance));
            registered.put(instance.registrationId, instance);
            outcomes.add(new Outcome.Done<>(new Result(instance, true)));
        }
        return outcomes;
    }

    /**
     * Stores the app's state and contact time and publishes DeviceStateReported (UNMANAGED, key registrationId). A
     * report dated before the stored one only counts as contact (and its wipe outcome is not published). Applied with
     * the app check-ins that arrive at the same time, in one transaction ({@link GroupCommit}); returns once that has
     * committed.
     *
     * @throws ProblemException 404 for an instance the tenant does not have, 403 when it belongs to another user, 422
     *     when a wipe result names another app than the instance's, 400 (reportedAt) when dated in the future
     */
    public CheckInResult report(String tenantId, String userId, String registrationId, Report report) {
        return report(tenantId, userId, registrationId, report, OptionalLong.empty());
    }

    /**
     * As {@link #report(String, String, String, Report)}, by the app instance itself with its credential of
     * {@code generation}: a credential of an earlier generation (one held before a selective wipe) is refused (401).
     */
    public CheckInResult report(
            String tenantId, String userId, String registrationId, Report report, OptionalLong generation) {
        Instant observedAt = ReportOrder.observedAt(
                report.reportedAt().map(t -> Instant.ofEpochMilli(t.toEpochMilli())),
                AppInstanceEvents.now(),
                maxClockSkew);
        return checkIns.submit(
                new CheckIn(tenantId, userId, registrationId, report, observedAt, generation, Context.current()));
    }

    /**
     * The instance's contact and state times after a check-in, whether the report became its current state, and its
     * credential generation after it ({@code credentialsRevoked}: this check-in's successful selective wipe moved it
     * on, so every credential the app held is revoked, the one it called with too).
     */
    public record CheckInResult(
            String registrationId,
            boolean applied,
            Instant lastContactAt,
            Instant stateReportedAt,
            long credentialGeneration,
            boolean credentialsRevoked) {}

    /** A report waiting for its group: when it was observed is settled (and checked) before it queues. */
    record CheckIn(
            String tenantId,
            String userId,
            String registrationId,
            Report report,
            Instant observedAt,
            OptionalLong generation,
            Context trace) {}

    /** One group, inside its transaction: each check-in's outcome, in order. */
    List<Outcome<CheckInResult>> apply(List<CheckIn> group) {
        Map<String, LockedInstance> locked =
                store.lockAll(group.stream().map(CheckIn::registrationId).toList());
        Instant now = AppInstanceEvents.now();
        List<Outcome<CheckInResult>> outcomes = new ArrayList<>(group.size());
        for (CheckIn checkIn : group) {
            LockedInstance instance = locked.get(checkIn.registrationId());
            try {
                outcomes.add(new Outcome.Done<>(apply(instance, checkIn, now)));
            } catch (ProblemException refused) {
                // decided before anything of this check-in was changed: the others of the group go on
                outcomes.add(new Outcome.Refused<>(refused));
            }
        }
        store.write(locked.values());
        return outcomes;
    }

    private CheckInResult apply(LockedInstance instance, CheckIn checkIn, Instant now) {
        if (instance == null || !instance.tenantId.equals(checkIn.tenantId())) {
            throw notFound(checkIn.registrationId());
        }
        if (!instance.userId.equals(checkIn.userId())) {
            throw ProblemException.forbidden("This app instance belongs to another user.");
        }
        if (checkIn.generation().isPresent() && checkIn.generation().getAsLong() != instance.credentialGeneration) {
            throw ProblemException.unauthorized("App instance " + instance.registrationId + "'s credential was"
                    + " revoked by a selective wipe. Sign in and register the app again for a new one.");
        }
        Report report = checkIn.report();
        List<WipeOutcome> wipes = report.selectiveWipeResults();
        for (int i = 0; i < wipes.size(); i++) {
            if (!wipes.get(i).appId().equals(instance.appId)) {
                // An app wipes only its own corporate data; another app's outcome cannot come from this instance.
                throw ProblemException.unprocessable(
                        "selectiveWipeResults[" + i + "].appId",
                        "must be this instance's app '" + instance.appId + "'");
            }
        }
        instance.lastContactAt = now;
        instance.contacted = true;
        if (!ReportOrder.supersedes(checkIn.observedAt(), instance.stateReportedAt)) {
            return result(instance, false);
        }
        instance.stateChanged = true;
        instance.stateReportedAt = checkIn.observedAt();
        instance.osVersion = report.osVersion();
        instance.appVersion = report.appVersion();
        instance.pinSet = report.pinSet();
        instance.jailbroken = report.jailbroken();
        try (Scope traced = checkIn.trace().makeCurrent()) {
            outbox.append(Topics.DEVICES, instance.registrationId, AppInstanceEvents.stateReported(instance, wipes));
        }
        if (wipes.stream().anyMatch(WipeOutcome::succeeded)) {
            // the corporate data is gone: what the app held to act for the user goes with it
            instance.credentialGeneration++;
            instance.credentialsRevoked = true;
        }
        return result(instance, true);
    }

    private static CheckInResult result(LockedInstance instance, boolean applied) {
        return new CheckInResult(
                instance.registrationId,
                applied,
                instance.lastContactAt,
                instance.stateReportedAt,
                instance.credentialGeneration,
                instance.credentialsRevoked);
    }

    @PostConstruct
    void start() {
        checkIns = new GroupCommit<>("app-check-ins", committers, maxGroup, group -> QuarkusTransaction.requiringNew()
                .call(() -> apply(group)));
        Gauge.builder("bulwark.registry.check-ins.queued", checkIns, GroupCommit::queued)
                .description("Check-ins waiting for the next group commit")
                .tag("subject", "app-instance")
                .register(meters);
        registrations = new GroupCommit<>(
                "app-registrations", joinCommitters, maxJoinGroup, group -> QuarkusTransaction.requiringNew()
                        .call(() -> register(group)));
        Gauge.builder("bulwark.registry.joins.queued", registrations, GroupCommit::queued)
                .description("Enrollments and registrations waiting for the next group commit")
                .tag("subject", "app-instance")
                .register(meters);
    }

    @PreDestroy
    void stop() {
        checkIns.stop();
        registrations.stop();
    }

    /**
     * A retired device is no longer managed, but the protected apps on it keep running under app protection (MAM): their
     * instances stay, unlinked from the device and UNMANAGED from now on. No event of their own: consumers learn it
     * from DeviceRetired, as they knew the link from AppInstanceRegistered.deviceId.
     */
    void onDeviceRetired(@Observes DeviceRetirement retirement) {
        entityManager
                .createQuery("update AppInstance a set a.deviceId = null, a.managementType = :unmanaged"
                        + " where a.tenantId = :tenant and a.deviceId = :device")
                .setParameter("unmanaged", InstanceManagement.UNMANAGED)
                .setParameter("tenant", retirement.tenantId())
                .setParameter("device", retirement.deviceId())
                .executeUpdate();
    }

    long count(String tenantId, Optional<String> userId) {
        var query = entityManager.createQuery(
                "select count(a) from AppInstance a where a.tenantId = :tenant"
                        + userId.map(u -> " and a.userId = :user").orElse(""),
                Long.class);
        query.setParameter("tenant", tenantId);
        userId.ifPresent(u -> query.setParameter("user", u));
        return query.getSingleResult();
    }

    List<AppInstance> page(String tenantId, Optional<String> userId, int offset, int size) {
        var query = entityManager.createQuery(
                "from AppInstance a where a.tenantId = :tenant"
                        + userId.map(u -> " and a.userId = :user").orElse("")
                        + " order by a.registeredAt, a.registrationId",
                AppInstance.class);
        query.setParameter("tenant", tenantId);
        userId.ifPresent(u -> query.setParameter("user", u));
        return query.setFirstResult(offset).setMaxResults(size).getResultList();
    }

    static ProblemException notFound(String registrationId) {
        return ProblemException.notFound("No app instance " + registrationId + " in this tenant.");
    }
}
