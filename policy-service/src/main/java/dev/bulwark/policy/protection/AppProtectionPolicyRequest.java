package dev.bulwark.policy.protection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.policy.targeting.Target;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * An admin's app protection policy, to create or replace. {@code settings} may be partial: what it leaves out comes
 * from {@code templateId}'s template, or from level 1 when there is none. With a template, no setting may be weaker
 * than the template's.
 */
public record AppProtectionPolicyRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull ProtectedPlatform platform,
        @NotNull List<String> appIds,
        String templateId,
        JsonNode settings,
        List<Target> targets) {}
