package dev.bulwark.compliance.unmanaged;

import dev.bulwark.compliance.baseline.BaselineConfig;
import dev.bulwark.compliance.evaluation.BatchFacts;
import dev.bulwark.compliance.evaluation.BatchFactsReader;
import dev.bulwark.compliance.policy.SubjectFacts;
import dev.bulwark.compliance.projection.AppInstance;
import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.remediation.Remediator;
import dev.bulwark.compliance.rules.StrictestViolations;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.compliance.subject.SubjectRef;
import dev.bulwark.events.Platform;
import dev.bulwark.rules.Targeting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The unmanaged (MAM) path: evaluates a protected app's account (app instance) against the app protection policies
 * that reach its user and hands the verdict to the subject's state machine. The subject is the app instance
 * (registrationId), so compliance is per account: a user's non-compliant account in one app is signed out of that app,
 * not of the user's other accounts or apps.
 *
 * <p>Which rules: while the tenant has no app protection policy, the configured baseline. Once it has one, only the
 * policies that protect the app on its platform and target the user apply, and only when the user is licensed; several
 * apply → the most restrictive wins (strictest finding per rule, remediation only if all allow it, shortest deadline).
 * A user no policy reaches has no rules to break.
 */
@ApplicationScoped
public class UnmanagedCompliance {

    private final UnmanagedAppEvaluator baseline;
    private final RemediationSettings baselineRemediation;
    private final SubjectCompliance subjects;
    private final BatchFactsReader facts;

    UnmanagedCompliance(BaselineConfig config, SubjectCompliance subjects, BatchFactsReader facts) {
        this.baseline = new UnmanagedAppEvaluator(config.unmanagedBaseline());
        this.baselineRemediation = config.remediation();
        this.subjects = subjects;
        this.facts = facts;
    }

    /** The tenant's live app protection policies, read now (for a caller outside any batch). */
    public List<AppProtectionPolicy> policiesOf(String tenantId) {
        return facts.appProtection(BatchFacts.empty(), tenantId);
    }

    /**
     * Evaluates one app instance from its last check-in, on its user's facts and its tenant's policies as the batch
     * holds them (read now when it does not); {@code cause} is the event that asked for it, {@code eventTime} its
     * occurredAt when it is the app instance's own check-in (remediation deadlines count from it; see
     * SubjectCompliance).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(AppInstance instance, BatchFacts batch, Optional<String> cause, Optional<Instant> eventTime) {
        String tenantId = instance.tenantId();
        evaluate(
                instance,
                batch,
                facts.ofUser(batch, tenantId, instance.userId()),
                facts.appProtection(batch, tenantId),
                cause,
                eventTime);
    }

    private void evaluate(
            AppInstance instance,
            BatchFacts batch,
            SubjectFacts facts,
            List<AppProtectionPolicy> tenantPolicies,
            Optional<String> cause,
            Optional<Instant> eventTime) {
        AppInstanceReport report = new AppInstanceReport(
                instance.appId(),
                instance.appVersion().orElse(""),
                instance.osVersion(),
                instance.pinSet(),
                instance.jailbroken(),
                facts.accountDisabled());
        SubjectRef subject = SubjectRef.appInstance(
                instance.tenantId(), instance.registrationId(), instance.userId(), instance.appId());
        if (tenantPolicies.isEmpty()) {
            instance.offlinePeriods(Optional.empty(), Optional.empty());
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
        List<AppProtectionPolicy> applying = applying(instance, facts, tenantPolicies);
        // the shortest offline periods of the applying policies, measured from the last check-in (OfflineJob)
        instance.offlinePeriods(
                shortest(applying.stream().map(AppProtectionPolicy::offlineGracePeriodBeforeAccessCheck)),
                shortest(applying.stream().map(AppProtectionPolicy::offlineGracePeriodBeforeWipe)));
        List<Violation> violations = StrictestViolations.merge(applying.stream()
                .flatMap(policy -> UnmanagedAppEvaluator.evaluate(report, policy).stream())
                .toList());
        subjects.applyVerdict(
                batch,
                subject,
                violations,
                remediation(applying),
                new UnmanagedRemediator(instance.appId()),
                cause,
                eventTime);
    }

    /** The policies that protect the app on its platform and reach the user; none for an unlicensed user. */
    static List<AppProtectionPolicy> applying(
            AppInstance instance, SubjectFacts facts, List<AppProtectionPolicy> tenantPolicies) {
        return applying(instance.appId(), instance.platform(), facts, tenantPolicies);
    }

    /**
     * The policies that protect {@code appId} on {@code platform} for a user with these facts; none for an unlicensed
     * user. Conditional access's APP_PROTECTION_POLICY grant asks the same question.
     */
    public static List<AppProtectionPolicy> applying(
            String appId, Platform platform, SubjectFacts facts, List<AppProtectionPolicy> tenantPolicies) {
        if (!facts.licensed()) {
            return List.of();
        }
        return tenantPolicies.stream()
                .filter(policy -> policy.protects(appId, platform))
                .filter(policy -> Targeting.reachesUser(policy.policy().targets(), facts.userGroups()))
                .toList();
    }

    private static Optional<Duration> shortest(java.util.stream.Stream<Optional<Duration>> periods) {
        return periods.flatMap(Optional::stream).min(Duration::compareTo);
    }

    /** Remediation off in any applying policy is off (the stricter); otherwise the shortest deadline. */
    static RemediationSettings remediation(List<AppProtectionPolicy> applying) {
        if (applying.isEmpty() || !applying.stream().allMatch(AppProtectionPolicy::remediationEnabled)) {
            return RemediationSettings.disabled();
        }
        Duration deadline = applying.stream()
                .map(AppProtectionPolicy::remediationDeadline)
                .min(Duration::compareTo)
                .orElseThrow();
        return new RemediationSettings(true, deadline);
    }
}
