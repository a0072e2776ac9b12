package dev.bulwark.registry.managed;

import dev.bulwark.contract.Topics;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.registry.managed.DeviceCheckInStore.LockedDevice;
import dev.bulwark.registry.shared.GroupCommit;
import dev.bulwark.registry.shared.GroupCommit.Outcome;
import dev.bulwark.registry.shared.ReportOrder;
import dev.bulwark.registry.shared.WipeOutcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A managed device's check-in: stores the reported state and the moment of contact, and publishes DeviceStateReported
 * (management type MANAGED, key deviceId) for compliance to evaluate. A report older than the stored state only
 * counts as contact; it is neither stored nor published (nor are the profile and wipe outcomes it carries: those are
 * facts of one check-in, published with it and kept by their owners, policy-service and compliance-service).
 *
 * <p>Check-ins arriving together are applied together ({@link GroupCommit}): one transaction locks all their devices
 * with one query, applies the reports in arrival order (two reports of one device: the second is judged against the
 * first), and writes the rows and events in batches ({@link DeviceCheckInStore}, plain JDBC); each caller is answered
 * after that commit.
 */
@ApplicationScoped
public class DeviceCheckIn {

    /** What the device reported, already validated. */
    public record Report(
            String osVersion,
            boolean encrypted,
            boolean passcodeSet,
            boolean jailbroken,
            List<InstalledAppEntry> installedApps,
            List<ProfileStatusEntry> configurationProfiles,
            List<WipeOutcome> selectiveWipeResults,
            Optional<Instant> reportedAt) {}

    /** The device's contact and state times after the check-in, and whether the report became its current state. */
    public record Result(String deviceId, boolean applied, Instant lastContactAt, Instant stateReportedAt) {}

    /** A report waiting for its group: when it was observed is settled (and checked) before it queues. */
    /** A report waiting for its group, with the trace of the request that brought it (its event continues it). */
    record CheckIn(
            String tenantId, String deviceId, Report report, Instant observedAt, boolean byDevice, Context trace) {}

    private final DeviceCheckInStore store;
    private final Outbox outbox;
    private final Duration maxClockSkew;
    private final MeterRegistry meters;
    private final int committers;
    private final int maxGroup;
    private GroupCommit<CheckIn, Result> group;

    DeviceCheckIn(
            DeviceCheckInStore store,
            Outbox outbox,
            MeterRegistry meters,
            @ConfigProperty(name = "bulwark.registry.max-clock-skew", defaultValue = "PT5M") Duration maxClockSkew,
            @ConfigProperty(name = "bulwark.registry.check-in.committers", defaultValue = "4") int committers,
            @ConfigProperty(name = "bulwark.registry.check-in.max-group", defaultValue = "200") int maxGroup) {
        this.committers = committers;
        this.store = store;
        this.outbox = outbox;
        this.meters = meters;
        this.maxClockSkew = maxClockSkew;
        this.maxGroup = maxGroup;
    }

    @PostConstruct
    void start() {
        group = new GroupCommit<>(
                "device-check-ins", committers, maxGroup, checkIns -> QuarkusTransaction.requiringNew()
                        .call(() -> apply(checkIns)));
        Gauge.builder("bulwark.registry.check-ins.queued", group, GroupCommit::queued)
                .description("Check-ins waiting for the next group commit")
                .tag("subject", "device")
                .register(meters);
    }

    @PreDestroy
    void stop() {
        group.stop();
    }

    /**
     * Applies the report with the check-ins that arrive at the same time, and returns once they have committed.
     *
     * @param byDevice whether the device reports itself (with its credential) rather than an admin for it
     * @throws ProblemException 404 when the tenant has no such device; when it is retired, 401 to the device (its
     *     credential was revoked with the retirement) and 409 to an admin; 400 (reportedAt) when the report is dated
     *     in the future
     */
    public Result report(String tenantId, String deviceId, Report report, boolean byDevice) {
        Instant observedAt = ReportOrder.observedAt(
                report.reportedAt().map(t -> Instant.ofEpochMilli(t.toEpochMilli())), DeviceEvents.now(), maxClockSkew);
        return group.submit(new CheckIn(tenantId, deviceId, report, observedAt, byDevice, Context.current()));
    }

    /** One group, inside its transaction: each check-in's outcome, in order. */
    List<Outcome<Result>> apply(List<CheckIn> checkIns) {
        Map<String, LockedDevice> locked =
                store.lockAll(checkIns.stream().map(CheckIn::deviceId).toList());
        Instant now = DeviceEvents.now();
        List<Outcome<Result>> outcomes = new ArrayList<>(checkIns.size());
        for (CheckIn checkIn : checkIns) {
            LockedDevice device = locked.get(checkIn.deviceId());
            if (device == null || !device.tenantId.equals(checkIn.tenantId())) {
                outcomes.add(new Outcome.Refused<>(
                        ProblemException.notFound("No device " + checkIn.deviceId() + " in this tenant.")));
            } else if (device.retired && checkIn.byDevice()) {
                outcomes.add(new Outcome.Refused<>(DeviceCredentialRevoked.retired(checkIn.deviceId())));
            } else if (device.retired) {
                outcomes.add(new Outcome.Refused<>(ProblemException.conflict("Device " + checkIn.deviceId()
                        + " is retired; it must be enrolled again before it can report.")));
            } else {
                outcomes.add(new Outcome.Done<>(apply(device, checkIn, now)));
            }
        }
        store.write(locked.values());
        return outcomes;
    }

    private Result apply(LockedDevice device, CheckIn checkIn, Instant now) {
        Report report = checkIn.report();
        device.lastContactAt = now;
        device.contacted = true;
        if (!ReportOrder.supersedes(checkIn.observedAt(), device.stateReportedAt)) {
            return new Result(device.deviceId, false, device.lastContactAt, device.stateReportedAt);
        }
        device.stateChanged = true;
        device.stateReportedAt = checkIn.observedAt();
        device.osVersion = report.osVersion();
        device.encrypted = report.encrypted();
        device.passcodeSet = report.passcodeSet();
        device.jailbroken = report.jailbroken();
        device.installedApps = List.copyOf(report.installedApps());
        // the group's committer thread appends it: the request's trace goes with it (ce_traceparent)
        try (Scope traced = checkIn.trace().makeCurrent()) {
            outbox.append(
                    Topics.DEVICES,
                    device.deviceId,
                    DeviceEvents.stateReported(device, report.configurationProfiles(), report.selectiveWipeResults()));
        }
        return new Result(device.deviceId, true, device.lastContactAt, device.stateReportedAt);
    }
}
