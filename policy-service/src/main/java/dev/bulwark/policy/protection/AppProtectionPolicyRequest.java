package dev.bulwark.policy.protection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.policy.targeting.Target;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An admin's app protection policy, to create or replace. {@code settings} may be partial: what it leaves out comes
 * from {@code templateId}'s template, or from level 1 when there is none. With a template, no setting may be weaker
 * than the template's.
 */
public record AppProtectionPolicyRequest(
        @NotBlank @Size(max = Limits.NAME) String name,
        @NotNull ProtectedPlatform platform,
        @NotNull @Size(max = Limits.LIST) List<@Size(max = Limits.ID) String> appIds,
        @Size(max = Limits.ID) String templateId,
        @Schema(
                        implementation = AppProtectionSettings.class,
                        description = "Partial settings laid over the template's; every string is bounded"
                                + " (versions 64 characters), unknown settings are refused.")
                JsonNode settings,
        @Size(max = Limits.LIST) List<@Valid Target> targets) {}
