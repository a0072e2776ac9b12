package dev.bulwark.compliance.access;

import dev.bulwark.rules.Targeting;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The conditional-access part of an access decision, for one subject and one resource. Every enabled rule that names
 * the resource (or every resource) and reaches the subject's user must pass; the first that does not (in rule-id order)
 * denies, with the grant the user can act on. A rule reaches a user through all users or an included user group, unless
 * an excluded user group removes them (exclusion wins) — licensed or not, as policy-service lists the rules at sign-in:
 * a rule that guards data is not escaped by losing a licence. The licence gates the protection instead: only a
 * licensed user's app is protected by an app protection policy, so an unlicensed user never meets
 * APP_PROTECTION_POLICY. A resource no such rule names keeps the compliance-only decision, and a subject the compliance
 * decision already blocks or signed out stays so: a rule can only take access away, never give it.
 */
public final class ConditionalAccessRules {

    private ConditionalAccessRules() {}

    /** The decision for {@code resource}: the compliance-only verdict, or DENY when a rule is not met. */
    public static AccessVerdict decide(
            AccessVerdict compliance, String resource, AccessFacts facts, List<ConditionalAccessRule> rules) {
        if (compliance.decision() != AccessDecision.ALLOW) {
            return compliance;
        }
        return denial(resource, facts, rules)
                .map(denial -> new AccessVerdict(AccessDecision.DENY, message(denial, facts), Optional.of(denial)))
                .orElse(compliance);
    }

    /** The first rule that reaches the subject, names the resource and is not met; empty when all such rules pass. */
    public static Optional<AccessDenial> denial(String resource, AccessFacts facts, List<ConditionalAccessRule> rules) {
        for (ConditionalAccessRule rule : rules) {
            if (!applies(rule, resource, facts)) {
                continue;
            }
            // a rule without a grant cannot be met: it was stored by a version that knew grants this one does not
            List<Grant> unmet = rule.require().isEmpty()
                    ? List.of(Grant.UNKNOWN)
                    : rule.require().stream()
                            .filter(grant -> !meets(grant, facts))
                            .toList();
            boolean passes = rule.operator() == GrantOperator.REQUIRE_ONE
                    ? unmet.size() < rule.require().size()
                    : unmet.isEmpty();
            if (!passes) {
                return Optional.of(
                        new AccessDenial(rule.ruleId(), rule.name(), resource, rule.operator(), unmet.get(0), unmet));
            }
        }
        return Optional.empty();
    }

    /** Whether the rule is on, names the resource and reaches the subject's user. */
    public static boolean applies(ConditionalAccessRule rule, String resource, AccessFacts facts) {
        return rule.enabled() && rule.names(resource) && Targeting.reachesUser(rule.targets(), facts.userGroups());
    }

    /** Whether the subject meets one grant. */
    public static boolean meets(Grant grant, AccessFacts facts) {
        switch (grant) {
            case COMPLIANT_DEVICE:
                return facts.managedDevice() && facts.compliant();
            case APP_PROTECTION_POLICY:
                return facts.appInstance()
                        && facts.licensed()
                        && facts.protectedByAppProtectionPolicy()
                        && facts.compliant();
            default:
                return false;
        }
    }

    /**
     * The decision's flip for one subject and resource when a rule set changes ({@code before} → {@code after}), for
     * the subject's timeline: empty when the decision is the same under both. Only a subject the compliance decision
     * allows can flip; a blocked or signed-out one is denied under both.
     */
    public static Optional<AccessFlip> flip(
            boolean complianceAllows,
            String resource,
            AccessFacts facts,
            List<ConditionalAccessRule> before,
            List<ConditionalAccessRule> after) {
        if (!complianceAllows) {
            return Optional.empty();
        }
        Optional<AccessDenial> deniedBefore = denial(resource, facts, before);
        Optional<AccessDenial> deniedAfter = denial(resource, facts, after);
        if (deniedBefore.isPresent() == deniedAfter.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new AccessFlip(
                resource,
                deniedBefore.isPresent() ? AccessDecision.DENY : AccessDecision.ALLOW,
                deniedAfter.isPresent() ? AccessDecision.DENY : AccessDecision.ALLOW,
                deniedAfter.or(() -> deniedBefore).orElseThrow(),
                deniedAfter.map(denial -> message(denial, facts)).orElse("Access allowed.")));
    }

    /** A decision that changed with a rule: {@code before}, {@code after}, and the rule that made the difference. */
    public record AccessFlip(
            String resource, AccessDecision before, AccessDecision after, AccessDenial denial, String message) {}

    /**
     * What the user reads: what the resource needs and what to do about it, e.g. "crm needs a compliant managed device
     * — enroll this device in Company Portal and open crm from it."
     */
    static String message(AccessDenial denial, AccessFacts facts) {
        String resource =
                ConditionalAccessRule.EVERY_RESOURCE.equals(denial.resource()) ? "Corporate data" : denial.resource();
        List<String> needs = new ArrayList<>();
        List<String> todo = new ArrayList<>();
        for (Grant grant : denial.unmetGrants()) {
            needs.add(need(grant));
            todo.add(remedy(grant, denial.resource(), facts));
        }
        boolean anyOne = denial.operator() == GrantOperator.REQUIRE_ONE;
        return resource + " needs " + String.join(anyOne ? " or " : " and ", needs) + " — "
                + String.join(anyOne ? "; or " : "; and ", todo) + ".";
    }

    private static String need(Grant grant) {
        switch (grant) {
            case COMPLIANT_DEVICE:
                return "a compliant managed device";
            case APP_PROTECTION_POLICY:
                return "an app protected by an app protection policy";
            default:
                return "a grant this service does not know yet";
        }
    }

    private static String remedy(Grant grant, String resource, AccessFacts facts) {
        String target = ConditionalAccessRule.EVERY_RESOURCE.equals(resource) ? "it" : resource;
        switch (grant) {
            case COMPLIANT_DEVICE:
                return facts.managedDevice()
                        ? "this device does not meet your organization's compliance policies; open Company Portal to"
                                + " see what to fix"
                        : "enroll this device in Company Portal and open " + target + " from it";
            case APP_PROTECTION_POLICY:
                if (!facts.appInstance()) {
                    return "open " + target + " in an app your organization protects, signed in with your work"
                            + " account";
                }
                if (!facts.licensed()) {
                    return "your account has no licence for your organization's app protection; ask your"
                            + " administrator for one";
                }
                return facts.protectedByAppProtectionPolicy()
                        ? "this app does not meet its app protection policy; open it and follow its prompts"
                        : "this app is not protected by your organization for your account; use an app your"
                                + " organization protects, or ask your administrator";
            default:
                return "ask your administrator";
        }
    }
}
