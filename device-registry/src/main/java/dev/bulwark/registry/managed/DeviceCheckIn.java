package dev.bulwark.registry.managed;

import dev.bulwark.contract.Topics;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.registry.shared.ReportOrder;
import dev.bulwark.registry.shared.WipeOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A managed device's check-in: stores the reported state and the moment of contact, and publishes DeviceStateReported
 * (management type MANAGED, key deviceId) for compliance to evaluate. A report older than the stored state only
 * counts as contact; it is neither stored nor published (nor are the profile and wipe outcomes it carries: those are
 * facts of one check-in, published with it and kept by their owners, policy-service and compliance-service).
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

    /** The device after the check-in, and whether the report became its current state. */
    public record Result(ManagedDevice device, boolean applied) {}

    private final ManagedDevices devices;
    private final Outbox outbox;
    private final Duration maxClockSkew;

    DeviceCheckIn(
            ManagedDevices devices,
            Outbox outbox,
            @ConfigProperty(name = "bulwark.registry.max-clock-skew", defaultValue = "PT5M") Duration maxClockSkew) {
        this.devices = devices;
        this.outbox = outbox;
        this.maxClockSkew = maxClockSkew;
    }

    /**
     * @throws ProblemException 404 when the tenant has no such device, 409 when it is retired, 400 (reportedAt) when
     *     the report is dated in the future
     */
    @Transactional
    public Result report(String tenantId, String deviceId, Report report) {
        ManagedDevice device = devices.findForUpdate(tenantId, deviceId)
                .orElseThrow(() -> ProblemException.notFound("No device " + deviceId + " in this tenant."));
        if (device.isRetired()) {
            throw ProblemException.conflict(
                    "Device " + deviceId + " is retired; it must be enrolled again before it can report.");
        }
        Instant now = DeviceEvents.now();
        Instant observedAt = ReportOrder.observedAt(
                report.reportedAt().map(t -> Instant.ofEpochMilli(t.toEpochMilli())), now, maxClockSkew);
        device.lastContactAt = now;
        if (!ReportOrder.supersedes(observedAt, device.stateReportedAt)) {
            return new Result(device, false);
        }
        device.stateReportedAt = observedAt;
        device.osVersion = report.osVersion();
        device.encrypted = report.encrypted();
        device.passcodeSet = report.passcodeSet();
        device.jailbroken = report.jailbroken();
        device.installedApps = List.copyOf(report.installedApps());
        outbox.append(
                Topics.DEVICES,
                device.deviceId,
                DeviceEvents.stateReported(device, report.configurationProfiles(), report.selectiveWipeResults()));
        return new Result(device, true);
    }
}
