package dev.bulwark.policy.protection;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A minimum OS or app version at the three conditional launch levels: below {@code warn} the user is warned, below
 * {@code block} access is blocked, below {@code wipe} the app's work data is wiped. Each is optional. A harsher level
 * never has a higher minimum than a milder one (wipe ≤ block ≤ warn), else the milder one could never act.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VersionLevels(String warn, String block, String wipe) {

    public static final VersionLevels NONE = new VersionLevels(null, null, null);
}
