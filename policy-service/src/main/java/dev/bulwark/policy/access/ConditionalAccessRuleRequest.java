package dev.bulwark.policy.access;

import dev.bulwark.policy.targeting.Target;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** An admin's conditional-access rule; {@code operator} defaults to REQUIRE_ALL and {@code enabled} to true. */
public record ConditionalAccessRuleRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull List<String> resources,
        @NotNull List<Grant> require,
        GrantOperator operator,
        Boolean enabled,
        List<Target> targets) {}
