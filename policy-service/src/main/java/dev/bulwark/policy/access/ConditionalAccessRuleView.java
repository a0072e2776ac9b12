package dev.bulwark.policy.access;

import dev.bulwark.policy.targeting.Target;
import java.time.Instant;
import java.util.List;

/** A conditional-access rule as the admin API shows it. */
public record ConditionalAccessRuleView(
        String id,
        String name,
        long version,
        List<String> resources,
        List<Grant> require,
        GrantOperator operator,
        boolean enabled,
        List<Target> targets,
        Instant createdAt,
        Instant updatedAt) {}
