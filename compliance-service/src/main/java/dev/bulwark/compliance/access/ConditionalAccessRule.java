package dev.bulwark.compliance.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.compliance.policy.PolicyTarget;
import dev.bulwark.compliance.policy.StoredPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A conditional-access rule of policy-service as compliance-service keeps it (the policy projection, kind
 * CONDITIONAL_ACCESS): the resources it names ("*" = every resource), the grants it requires, how they combine, whether
 * it is on, and whom it targets. Read from PolicyChanged.settingsJson
 * ({@code {resources, require, operator, enabled}}).
 */
public record ConditionalAccessRule(
        String ruleId,
        String name,
        long version,
        List<String> resources,
        List<Grant> require,
        GrantOperator operator,
        boolean enabled,
        List<PolicyTarget> targets) {

    /** The resource name that stands for every resource. */
    public static final String EVERY_RESOURCE = "*";

    public ConditionalAccessRule {
        resources = List.copyOf(resources);
        require = List.copyOf(require);
        targets = List.copyOf(targets);
    }

    /**
     * Reads a stored rule. A grant this version does not know is read as {@link Grant#UNKNOWN}, which is never met, so
     * a newer rule fails closed rather than failing the projection; an unknown operator is read as REQUIRE_ALL.
     */
    public static ConditionalAccessRule from(StoredPolicy policy) {
        JsonNode body = policy.settings();
        List<String> resources = new ArrayList<>();
        body.path("resources").forEach(resource -> resources.add(resource.asText()));
        List<Grant> grants = new ArrayList<>();
        body.path("require")
                .forEach(grant -> grants.add(known(Grant.class, grant.asText()).orElse(Grant.UNKNOWN)));
        GrantOperator operator =
                known(GrantOperator.class, body.path("operator").asText()).orElse(GrantOperator.REQUIRE_ALL);
        return new ConditionalAccessRule(
                policy.policyId(),
                policy.name(),
                policy.version(),
                resources,
                grants,
                operator,
                body.path("enabled").asBoolean(true),
                policy.targets());
    }

    /** Whether the rule is about {@code resource}: it names it, or every resource. */
    public boolean names(String resource) {
        return resources.contains(EVERY_RESOURCE) || resources.contains(resource);
    }

    private static <E extends Enum<E>> Optional<E> known(Class<E> type, String name) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
