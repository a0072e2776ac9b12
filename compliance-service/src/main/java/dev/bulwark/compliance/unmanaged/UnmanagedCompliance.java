package dev.bulwark.compliance.unmanaged;

import dev.bulwark.compliance.baseline.BaselineConfig;
import dev.bulwark.compliance.directory.Directory;
import dev.bulwark.compliance.policy.Policies;
import dev.bulwark.compliance.policy.SubjectFacts;
import dev.bulwark.compliance.policy.Targeting;
import dev.bulwark.compliance.projection.AppInstance;
import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.remediation.Remediator;
import dev.bulwark.compliance.rules.StrictestViolations;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.compliance.subject.SubjectRef;
import dev.bulwark.compliance.support.TransactionMemo;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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

    private static final String FACTS = "unmanaged-facts";

    private final UnmanagedAppEvaluator baseline;
    private final RemediationSettings baselineRemediation;
    private final SubjectCompliance subjects;
    private final Policies policies;
    private final Directory directory;
    private final TransactionMemo memo;

    UnmanagedCompliance(
            BaselineConfig config,
            SubjectCompliance subjects,
            Policies policies,
            Directory directory,
            TransactionMemo memo) {
        this.memo = memo;
        this.baseline = new UnmanagedAppEvaluator(config.unmanagedBaseline());
        this.baselineRemediation = config.remediation();
        this.subjects = subjects;
        this.policies = policies;
        this.directory = directory;
    }

    /** The tenant's live app protection policies, read once for a batch of subjects. */
    public List<AppProtectionPolicy> policiesOf(String tenantId) {
        return policies.liveOncePerTransaction(tenantId, PolicyKind.APP_PROTECTION, AppProtectionPolicy::from);
    }

    /**
     * Reads the directory facts of these users of the tenant with one query per kind and keeps them for the rest of the
     * transaction: a batch of check-ins then evaluates each report without a round trip for its user's groups and
     * licence. Only the check-in consumer, whose transaction changes no directory row, reads facts this way.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void readFactsOnce(String tenantId, Collection<String> userIds) {
        Map<String, SubjectFacts> known = memo.map(FACTS);
        if (userIds.isEmpty() || known == null) {
            return;
        }
        boolean disabledMatters =
                policiesOf(tenantId).stream().anyMatch(p -> p.disabledAccount().isPresent());
        Map<String, Set<String>> groups = directory.groupsOf(tenantId, userIds);
        Set<String> licensed = directory.licensed(tenantId, userIds);
        Set<String> disabled = disabledMatters ? directory.disabled(tenantId, userIds) : Set.of();
        for (String userId : userIds) {
            known.put(
                    factsKey(tenantId, userId),
                    new SubjectFacts(
                            groups.getOrDefault(userId, Set.of()),
                            Set.of(),
                            licensed.contains(userId),
                            disabled.contains(userId)));
        }
    }

    private static String factsKey(String tenantId, String userId) {
        return tenantId + "|" + userId;
    }

    /**
     * Evaluates one app instance from its last check-in; {@code cause} is the event that asked for it, {@code eventTime}
     * its occurredAt when it is the app instance's own check-in (remediation deadlines count from it; see
     * SubjectCompliance).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(AppInstance instance, Optional<String> cause, Optional<Instant> eventTime) {
        String tenantId = instance.tenantId();
        String userId = instance.userId();
        List<AppProtectionPolicy> tenantPolicies = policiesOf(tenantId);
        Map<String, SubjectFacts> known = memo.map(FACTS);
        SubjectFacts read = known == null ? null : known.get(factsKey(tenantId, userId));
        if (read != null) {
            evaluate(instance, read, tenantPolicies, cause, eventTime);
            return;
        }
        // the account's state is only read when a policy of the tenant looks at it (one query less per report)
        boolean disabled =
                tenantPolicies.stream().anyMatch(p -> p.disabledAccount().isPresent())
                        && directory.disabled(tenantId, List.of(userId)).contains(userId);
        SubjectFacts facts = new SubjectFacts(
                directory.groupsOf(tenantId, userId),
                Set.of(),
                directory.licensed(tenantId, List.of(userId)).contains(userId),
                disabled);
        evaluate(instance, facts, tenantPolicies, cause, eventTime);
    }

    /** Evaluates one app instance with its user's facts and its tenant's policies already loaded. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void evaluate(
            AppInstance instance,
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
