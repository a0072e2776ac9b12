package dev.bulwark.policy.compliance;

import dev.bulwark.kit.validation.Limits;
import dev.bulwark.policy.targeting.Target;
import dev.bulwark.rules.OsPlatform;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** An admin's device compliance policy (managed path), to create or replace. */
public record CompliancePolicyRequest(
        @NotBlank @Size(max = Limits.NAME) String name,
        @NotNull OsPlatform platform,
        @NotNull @Valid ComplianceRules rules,
        @NotNull @Size(max = Limits.LIST) List<ScheduledAction> actions,
        @Size(max = Limits.LIST) List<@Valid Target> targets) {}
