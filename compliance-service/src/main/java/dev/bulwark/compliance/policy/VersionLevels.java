package dev.bulwark.compliance.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.rules.Version;
import java.util.Optional;

/**
 * A minimum version at the conditional launch levels of an app protection policy: below {@code warn} the user is only
 * warned, below {@code block} access is blocked, below {@code wipe} the app's corporate data is wiped.
 */
public record VersionLevels(Optional<Version> warn, Optional<Version> block, Optional<Version> wipe) {

    public static final VersionLevels NONE = new VersionLevels(Optional.empty(), Optional.empty(), Optional.empty());

    /** Reads {@code {warn, block, wipe}}, each optional; a missing node is {@link #NONE}. */
    public static VersionLevels read(JsonNode node) {
        if (node == null || !node.isObject()) {
            return NONE;
        }
        return new VersionLevels(level(node, "warn"), level(node, "block"), level(node, "wipe"));
    }

    private static Optional<Version> level(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(Version.parse(value.asText()));
    }
}
