package dev.bulwark.compliance.unmanaged;

import dev.bulwark.compliance.baseline.BaselineConfig;
import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.compliance.subject.SubjectRef;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.DeviceStateReported;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * The unmanaged (MAM) path: evaluates a protected app's check-in against the baseline and hands the verdict to the
 * subject's state machine. The subject is the app instance (registrationId), so compliance is per account: a user's
 * non-compliant account in one app is signed out of that app, not of the user's other accounts or apps.
 */
@ApplicationScoped
public class UnmanagedCompliance {

    private final UnmanagedAppEvaluator evaluator;
    private final RemediationSettings remediation;
    private final SubjectCompliance subjects;

    UnmanagedCompliance(BaselineConfig baseline, SubjectCompliance subjects) {
        this.evaluator = new UnmanagedAppEvaluator(baseline.unmanagedBaseline());
        this.remediation = baseline.remediation();
        this.subjects = subjects;
    }

    /**
     * Evaluates {@code report} for the app instance; {@code appId} and {@code appVersion} come from the report, or
     * from the registration when the report leaves them out.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(DeviceStateReported report, String appId, Optional<String> appVersion) {
        AppInstanceReport facts = new AppInstanceReport(
                appId, appVersion.orElse(""), Optional.ofNullable(report.getPinSet()), report.getJailbroken());
        List<Violation> violations = evaluator.evaluate(facts);
        SubjectRef subject =
                SubjectRef.appInstance(report.getTenantId(), report.getSubjectId(), report.getUserId(), appId);
        subjects.applyVerdict(subject, violations, remediation, Optional.of(Envelope.eventId(report)));
    }
}
