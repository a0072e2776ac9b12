package dev.bulwark.compliance.managed;

import dev.bulwark.compliance.baseline.BaselineConfig;
import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.compliance.subject.SubjectRef;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * The managed (MDM) path: evaluates a managed device's check-in against the baseline and hands the verdict to the
 * subject's state machine. The subject is the device; its primary user is the account signed out on failure.
 */
@ApplicationScoped
public class ManagedCompliance {

    private final ManagedDeviceEvaluator evaluator;
    private final RemediationSettings remediation;
    private final SubjectCompliance subjects;

    ManagedCompliance(BaselineConfig baseline, SubjectCompliance subjects) {
        this.evaluator = new ManagedDeviceEvaluator(baseline.managedBaseline());
        this.remediation = baseline.remediation();
        this.subjects = subjects;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(DeviceStateReported report) {
        ManagedDeviceReport facts = new ManagedDeviceReport(
                report.getPlatform(),
                report.getOsVersion(),
                Optional.ofNullable(report.getEncrypted()),
                report.getJailbroken());
        List<Violation> violations = evaluator.evaluate(facts);
        SubjectRef subject = SubjectRef.managedDevice(report.getTenantId(), report.getSubjectId(), report.getUserId());
        subjects.applyVerdict(subject, violations, remediation, Optional.of(Envelope.eventId(report)));
    }

    /** A retired device's user is signed out of the protected apps on it, and their corporate data is wiped. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retire(DeviceRetired retired) {
        SubjectRef subject =
                SubjectRef.managedDevice(retired.getTenantId(), retired.getDeviceId(), retired.getUserId());
        subjects.retire(subject, Optional.of(Envelope.eventId(retired)));
    }
}
