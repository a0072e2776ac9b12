package dev.bulwark.policy.protection;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.kit.validation.Limits;
import jakarta.validation.constraints.Size;

/**
 * A minimum OS or app version at the three conditional launch levels: below {@code warn} the user is warned, below
 * {@code block} access is blocked, below {@code wipe} the app's work data is wiped. Each is optional. A harsher level
 * never has a higher minimum than a milder one (wipe ≤ block ≤ warn), else the milder one could never act.
 *
 * <p>The request's settings arrive as JSON laid over a template, so the {@code @Size} here is not checked by Bean
 * Validation: it documents the bound in the OpenAPI, and {@code SettingsRules} enforces it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionLevels(
        @Size(max = Limits.SHORT) String warn,
        @Size(max = Limits.SHORT) String block,
        @Size(max = Limits.SHORT) String wipe) {

    public static final VersionLevels NONE = new VersionLevels(null, null, null);
}
