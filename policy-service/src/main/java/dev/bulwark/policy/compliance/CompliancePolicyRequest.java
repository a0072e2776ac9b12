package dev.bulwark.policy.compliance;

import dev.bulwark.policy.targeting.Target;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** An admin's device compliance policy (managed path), to create or replace. */
public record CompliancePolicyRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull DevicePlatform platform,
        @NotNull ComplianceRules rules,
        @NotNull List<ScheduledAction> actions,
        List<Target> targets) {}
