package dev.bulwark.compliance.managed;

import dev.bulwark.compliance.baseline.BaselineConfig;
import dev.bulwark.compliance.evaluation.BatchFacts;
import dev.bulwark.compliance.evaluation.BatchFactsReader;
import dev.bulwark.compliance.policy.SubjectFacts;
import dev.bulwark.compliance.projection.ManagedDevice;
import dev.bulwark.compliance.projection.ManagedDevices;
import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.remediation.Remediator;
import dev.bulwark.compliance.rules.StrictestViolations;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.compliance.subject.SubjectRef;
import dev.bulwark.compliance.support.JsonColumns;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.rules.Targeting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The managed (MDM) path: evaluates a managed device's last check-in against the device compliance policies that reach
 * it (through its primary user or its device groups) and hands the verdict to the subject's state machine. The subject
 * is the device; its primary user is the account signed out of the protected apps on it.
 *
 * <p>While the tenant has no device compliance policy, the configured baseline applies. Once it has one, only the
 * policies for the device's platform that reach it apply (licences gate app protection only); several → the most
 * restrictive wins, with the shortest MARK_NON_COMPLIANT grace period as the remediation deadline.
 */
@ApplicationScoped
public class ManagedCompliance {

    private static final ManagedRemediator REMEDIATOR = new ManagedRemediator();

    private final ManagedDeviceEvaluator baseline;
    private final RemediationSettings baselineRemediation;
    private final SubjectCompliance subjects;
    private final BatchFactsReader facts;
    private final JsonColumns json;

    ManagedCompliance(BaselineConfig config, SubjectCompliance subjects, BatchFactsReader facts, JsonColumns json) {
        this.baseline = new ManagedDeviceEvaluator(config.managedBaseline());
        this.baselineRemediation = config.remediation();
        this.subjects = subjects;
        this.facts = facts;
        this.json = json;
    }

    /**
     * Evaluates one device from its last check-in, on its and its primary user's groups and its tenant's policies as
     * the batch holds them (read now when it does not); {@code cause} is the event that asked for it, {@code eventTime}
     * its occurredAt when it is the device's own event (remediation deadlines count from it; see SubjectCompliance).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(ManagedDevice device, BatchFacts batch, Optional<String> cause, Optional<Instant> eventTime) {
        String tenantId = device.tenantId();
        evaluate(
                device,
                batch,
                facts.ofDevice(batch, tenantId, device.deviceId(), device.userId()),
                facts.deviceCompliance(batch, tenantId),
                cause,
                eventTime);
    }

    private void evaluate(
            ManagedDevice device,
            BatchFacts batch,
            SubjectFacts facts,
            List<DeviceCompliancePolicy> tenantPolicies,
            Optional<String> cause,
            Optional<Instant> eventTime) {
        ManagedDevice.CheckInFacts checkIn = device.facts();
        ManagedDeviceReport report = new ManagedDeviceReport(
                device.platform(),
                device.osVersion(),
                checkIn.encrypted(),
                checkIn.jailbroken(),
                checkIn.passcodeSet(),
                json.strings(device.installedAppsJson()),
                json.list(device.configurationProfilesJson(), ManagedDevices.ProfileStatus.class));
        SubjectRef subject = SubjectRef.managedDevice(device.tenantId(), device.deviceId(), device.userId());
        if (tenantPolicies.isEmpty()) {
            subjects.applyVerdict(
                    batch,
                    subject,
                    baseline.evaluate(report),
                    baselineRemediation,
                    Remediator.GRACE_PERIOD_ONLY,
                    cause,
                    eventTime);
            return;
        }
        List<DeviceCompliancePolicy> applying = tenantPolicies.stream()
                .filter(policy -> policy.covers(device.platform()))
                .filter(policy ->
                        Targeting.reachesDevice(policy.policy().targets(), facts.userGroups(), facts.deviceGroups()))
                .toList();
        List<Violation> violations = StrictestViolations.merge(applying.stream()
                .flatMap(policy -> ManagedDeviceEvaluator.evaluate(report, policy).stream())
                .toList());
        subjects.applyVerdict(batch, subject, violations, remediation(applying), REMEDIATOR, cause, eventTime);
    }

    /**
     * The shortest grace period of the applying policies; zero anywhere means no remediation (the stricter). The
     * shortest BLOCK and RETIRE periods of any applying policy are the later steps.
     */
    static RemediationSettings remediation(List<DeviceCompliancePolicy> applying) {
        Optional<Duration> grace =
                applying.stream().map(DeviceCompliancePolicy::gracePeriod).min(Duration::compareTo);
        Optional<Duration> block =
                applying.stream().flatMap(p -> p.blockAfter().stream()).min(Duration::compareTo);
        Optional<Duration> retire =
                applying.stream().flatMap(p -> p.retireAfter().stream()).min(Duration::compareTo);
        if (grace.isEmpty() || grace.get().isZero() || grace.get().isNegative()) {
            return RemediationSettings.disabled().withEscalation(block, retire);
        }
        return new RemediationSettings(true, grace.get()).withEscalation(block, retire);
    }

    /** A retired device's user is signed out of the protected apps on it, and their corporate data is wiped. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retire(DeviceRetired retired, BatchFacts batch) {
        SubjectRef subject =
                SubjectRef.managedDevice(retired.getTenantId(), retired.getDeviceId(), retired.getUserId());
        subjects.retire(batch, subject, Optional.of(Envelope.eventId(retired)));
    }
}
