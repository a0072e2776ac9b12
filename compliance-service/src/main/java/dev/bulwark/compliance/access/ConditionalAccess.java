package dev.bulwark.compliance.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.compliance.access.ConditionalAccessRules.AccessFlip;
import dev.bulwark.compliance.directory.Directory;
import dev.bulwark.compliance.policy.Policies;
import dev.bulwark.compliance.policy.SubjectFacts;
import dev.bulwark.compliance.projection.AppInstance;
import dev.bulwark.compliance.subject.SubjectState;
import dev.bulwark.compliance.support.Columns;
import dev.bulwark.compliance.timeline.Detail;
import dev.bulwark.compliance.timeline.SubjectTimeline;
import dev.bulwark.compliance.timeline.TimelineKind;
import dev.bulwark.compliance.unmanaged.AppProtectionPolicy;
import dev.bulwark.compliance.unmanaged.UnmanagedCompliance;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Conditional access as compliance-service carries it out: reads the tenant's rules from the policy projection, gathers
 * the facts a decision needs about a subject, and, when a rule changes, records on the timeline of each subject whose
 * decision for a resource the rule names flips. The decision itself is {@link ConditionalAccessRules}'.
 *
 * <p>The flips of one rule change are found chunk by chunk in a policy fan-out plan ({@code
 * evaluation.PolicyFanOuts}, kind CONDITIONAL_ACCESS): the plan's {@code conditional_access_fan_out} row keeps the rule
 * before and after the change, and each chunk pages through the tenant's evaluated subjects in id order.
 */
@ApplicationScoped
public class ConditionalAccess {

    private static final Logger LOG = Logger.getLogger(ConditionalAccess.class);

    private final Policies policies;
    private final Directory directory;
    private final UnmanagedCompliance unmanaged;
    private final SubjectTimeline timeline;
    private final EntityManager entityManager;
    private final ObjectMapper json;
    private final Clock clock;
    private final int chunkSize;

    ConditionalAccess(
            Policies policies,
            Directory directory,
            UnmanagedCompliance unmanaged,
            SubjectTimeline timeline,
            EntityManager entityManager,
            ObjectMapper json,
            Clock clock,
            @ConfigProperty(name = "bulwark.compliance.reevaluation.chunk-size", defaultValue = "500") int chunkSize) {
        this.policies = policies;
        this.directory = directory;
        this.unmanaged = unmanaged;
        this.timeline = timeline;
        this.entityManager = entityManager;
        this.json = json;
        this.clock = clock;
        this.chunkSize = chunkSize;
    }

    /** The tenant's live rules (disabled ones included: the decision skips them), in rule-id order. */
    public List<ConditionalAccessRule> rulesOf(String tenantId) {
        return policies.live(tenantId, PolicyKind.CONDITIONAL_ACCESS).stream()
                .map(ConditionalAccessRule::from)
                .toList();
    }

    /** One live rule of the tenant, as it stands now (empty when there is none or it was deleted). */
    public Optional<ConditionalAccessRule> rule(String tenantId, String ruleId) {
        return policies.live(tenantId, PolicyKind.CONDITIONAL_ACCESS).stream()
                .filter(policy -> policy.policyId().equals(ruleId))
                .findFirst()
                .map(ConditionalAccessRule::from);
    }

    /**
     * The facts of a subject for the rules: its user's groups and licence, and for an app instance whether an app
     * protection policy protects it (as the unmanaged path decides which policies apply to it).
     */
    public AccessFacts factsOf(
            String tenantId, String userId, ManagementType path, Optional<AppInstance> appInstance, boolean compliant) {
        Set<String> groups = directory.groupsOf(tenantId, userId);
        boolean licensed = directory.licensed(tenantId, List.of(userId)).contains(userId);
        boolean isProtected = appInstance
                .map(instance -> protects(
                        instance.appId(),
                        instance.platform(),
                        new SubjectFacts(groups, Set.of(), licensed),
                        unmanaged.policiesOf(tenantId)))
                .orElse(false);
        return new AccessFacts(path, compliant, isProtected, groups, licensed);
    }

    private static boolean protects(
            String appId, Platform platform, SubjectFacts facts, List<AppProtectionPolicy> tenantPolicies) {
        return !UnmanagedCompliance.applying(appId, platform, facts, tenantPolicies)
                .isEmpty();
    }

    /** Whether a change of a rule from {@code before} to {@code after} can flip any decision. */
    public static boolean mayFlip(Optional<ConditionalAccessRule> before, Optional<ConditionalAccessRule> after) {
        return !effect(before).equals(effect(after));
    }

    /** What of a rule bears on decisions: everything but its name and version. */
    private static Optional<List<Object>> effect(Optional<ConditionalAccessRule> rule) {
        return rule.filter(ConditionalAccessRule::enabled)
                .map(r -> List.of(r.resources(), r.require(), r.operator(), r.targets()));
    }

    /**
     * Keeps, beside a planned fan-out, the rule as it was before and after the change, so each chunk compares the two
     * whatever has happened to the rule since.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void planned(
            long fanOutId,
            String ruleId,
            Optional<ConditionalAccessRule> before,
            Optional<ConditionalAccessRule> after,
            Instant changedAt) {
        entityManager
                .createNativeQuery("insert into conditional_access_fan_out"
                        + " (fan_out_id, rule_id, rule_before, rule_after, changed_at)"
                        + " values (?1, ?2, cast(?3 as jsonb), cast(?4 as jsonb), ?5)")
                .setParameter(1, fanOutId)
                .setParameter(2, ruleId)
                .setParameter(3, before.map(this::write).orElse(null))
                .setParameter(4, after.map(this::write).orElse(null))
                .setParameter(5, Timestamp.from(changedAt))
                .executeUpdate();
    }

    /**
     * One chunk of a rule change's fan-out: the tenant's next evaluated subjects in id order after {@code after}; each
     * whose decision for a resource the rule names (before or after) flips gets an ACCESS_CHANGED timeline entry.
     * Returns the last subject done, or empty when none was left. The decision is computed again at every request, so
     * this only records the change: nothing is published, nobody is signed out.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> flipsAfter(long fanOutId, String tenantId, Optional<String> after, String causeEventId) {
        @SuppressWarnings("unchecked")
        List<Object[]> plan = entityManager
                .createNativeQuery("select rule_id, cast(rule_before as text), cast(rule_after as text), changed_at"
                        + " from conditional_access_fan_out where fan_out_id = ?1")
                .setParameter(1, fanOutId)
                .getResultList();
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        String ruleId = (String) plan.get(0)[0];
        Optional<ConditionalAccessRule> before =
                Optional.ofNullable((String) plan.get(0)[1]).map(this::read);
        Optional<ConditionalAccessRule> changed =
                Optional.ofNullable((String) plan.get(0)[2]).map(this::read);
        Instant at = Columns.instant(plan.get(0)[3]);

        List<SubjectRow> chunk = subjectsAfter(tenantId, after);
        if (chunk.isEmpty()) {
            return Optional.empty();
        }
        List<ConditionalAccessRule> rules = rulesOf(tenantId);
        List<ConditionalAccessRule> rulesBefore = with(rules, ruleId, before);
        List<ConditionalAccessRule> rulesAfter = with(rules, ruleId, changed);
        Set<String> resources = new LinkedHashSet<>();
        before.ifPresent(rule -> resources.addAll(rule.resources()));
        changed.ifPresent(rule -> resources.addAll(rule.resources()));

        List<String> users = chunk.stream().map(SubjectRow::userId).distinct().toList();
        Map<String, Set<String>> groups = directory.groupsOf(tenantId, users);
        Set<String> licensed = directory.licensed(tenantId, users);
        List<AppProtectionPolicy> appPolicies = unmanaged.policiesOf(tenantId);
        Instant now = clock.instant();
        int flips = 0;
        for (SubjectRow subject : chunk) {
            Set<String> userGroups = groups.getOrDefault(subject.userId(), Set.of());
            boolean userLicensed = licensed.contains(subject.userId());
            boolean isProtected = subject.path() == ManagementType.UNMANAGED
                    && protects(
                            subject.appId(),
                            subject.platform(),
                            new SubjectFacts(userGroups, Set.of(), userLicensed),
                            appPolicies);
            boolean allows = subject.complianceAllows(now);
            AccessFacts facts = new AccessFacts(subject.path(), allows, isProtected, userGroups, userLicensed);
            for (String resource : resources) {
                Optional<AccessFlip> flip =
                        ConditionalAccessRules.flip(allows, resource, facts, rulesBefore, rulesAfter);
                if (flip.isPresent()) {
                    flips++;
                    timeline.append(
                            tenantId,
                            subject.subjectId(),
                            at,
                            TimelineKind.ACCESS_CHANGED,
                            detail(flip.get(), causeEventId));
                }
            }
        }
        LOG.debugf("Rule %s: %d access flips among %d subjects of tenant %s", ruleId, flips, chunk.size(), tenantId);
        return Optional.of(chunk.get(chunk.size() - 1).subjectId());
    }

    private static Map<String, ?> detail(AccessFlip flip, String causeEventId) {
        AccessDenial denial = flip.denial();
        return Detail.of()
                .with("resource", flip.resource())
                .with("before", flip.before())
                .with("after", flip.after())
                .with("ruleId", denial.ruleId())
                .with("ruleName", denial.ruleName())
                .with("grant", denial.grant())
                .with("unmetGrants", denial.unmetGrants())
                .with("message", flip.message())
                .with("causeEventId", causeEventId)
                .asMap();
    }

    /** The rules with {@code ruleId} as {@code version} (removed when empty), still in rule-id order. */
    private static List<ConditionalAccessRule> with(
            List<ConditionalAccessRule> rules, String ruleId, Optional<ConditionalAccessRule> version) {
        List<ConditionalAccessRule> result = new ArrayList<>();
        rules.stream().filter(rule -> !rule.ruleId().equals(ruleId)).forEach(result::add);
        version.ifPresent(result::add);
        result.sort(Comparator.comparing(ConditionalAccessRule::ruleId));
        return result;
    }

    /** A subject with what its compliance-only decision depends on, read for a chunk with one query. */
    private record SubjectRow(
            String subjectId,
            ManagementType path,
            String userId,
            SubjectState state,
            String appId,
            Platform platform,
            boolean retired,
            Optional<Instant> offlineAccessCheckAt) {

        /** As AccessResource decides before any rule: compliant, not retired, not offline too long. */
        boolean complianceAllows(Instant now) {
            return state == SubjectState.COMPLIANT
                    && !retired
                    && offlineAccessCheckAt.filter(at -> at.isBefore(now)).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private List<SubjectRow> subjectsAfter(String tenantId, Optional<String> after) {
        List<Object[]> rows = entityManager
                .createNativeQuery("select s.subject_id, s.management_type, s.user_id, s.state, a.app_id, a.platform,"
                        + " coalesce(d.retired, false), a.offline_access_check_at"
                        + " from compliance_subject s"
                        + " left join app_instance a on a.tenant_id = s.tenant_id and a.registration_id = s.subject_id"
                        + " left join managed_device d on d.tenant_id = s.tenant_id and d.device_id = s.subject_id"
                        + " where s.tenant_id = ?1 and s.subject_id > ?2 order by s.subject_id limit ?3")
                .setParameter(1, tenantId)
                .setParameter(2, after.orElse(""))
                .setParameter(3, chunkSize)
                .getResultList();
        return rows.stream()
                .map(row -> new SubjectRow(
                        (String) row[0],
                        ManagementType.valueOf((String) row[1]),
                        (String) row[2],
                        SubjectState.valueOf((String) row[3]),
                        (String) row[4],
                        Optional.ofNullable((String) row[5])
                                .map(Platform::valueOf)
                                .orElse(null),
                        Boolean.TRUE.equals(row[6]),
                        Optional.ofNullable(row[7]).map(Columns::instant)))
                .toList();
    }

    private String write(ConditionalAccessRule rule) {
        try {
            return json.writeValueAsString(rule);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rule " + rule.ruleId() + " cannot be written", e);
        }
    }

    private ConditionalAccessRule read(String text) {
        try {
            return json.readValue(text, ConditionalAccessRule.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a planned rule cannot be read: " + e.getMessage(), e);
        }
    }
}
