package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.rules.OsPlatform;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An admin's configuration profile, to create or replace. */
@Schema(
        description = "A device configuration profile. settings depend on type (see the README); secret values"
                + " (preSharedKey, sharedSecret, password) are write-only and come back as a secretRef.")
public record ConfigurationProfileRequest(
        @NotBlank @Size(max = Limits.NAME) String name,
        @NotNull OsPlatform platform,
        @NotNull ProfileType type,
        @NotNull @Schema(implementation = ProfileSettingsSchema.class) ObjectNode settings,
        @Size(max = Limits.LIST) List<@Valid ProfileTarget> targets) {}
