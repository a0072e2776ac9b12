package dev.bulwark.policy.access;

import dev.bulwark.kit.validation.Limits;
import dev.bulwark.policy.targeting.Target;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** An admin's conditional-access rule; {@code operator} defaults to REQUIRE_ALL and {@code enabled} to true. */
public record ConditionalAccessRuleRequest(
        @NotBlank @Size(max = Limits.NAME) String name,
        @NotNull @Size(max = Limits.LIST) List<@Size(max = Limits.NAME) String> resources,
        @NotNull @Size(max = Limits.LIST) List<Grant> require,
        GrantOperator operator,
        Boolean enabled,
        @Size(max = Limits.LIST) List<@Valid Target> targets) {}
