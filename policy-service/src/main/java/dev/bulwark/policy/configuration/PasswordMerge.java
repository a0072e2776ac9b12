package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.policy.configuration.ProfileSettings.Complexity;
import java.time.Duration;
import java.util.List;

/**
 * Combines the password profiles that reach one device, most restrictive wins setting by setting: the longest minimum
 * length, the strongest complexity, the shortest expiry, the longest history, the shortest idle time before locking.
 * A setting a profile leaves out (no expiry, no idle lock) imposes nothing, so any profile that sets it is stricter.
 */
final class PasswordMerge {

    private PasswordMerge() {}

    /** The effective settings of these (already checked) password settings, in the stored shape. */
    static ObjectNode merge(List<ObjectNode> settings) {
        int length = 0;
        Complexity complexity = Complexity.NONE;
        String expiry = null;
        Integer history = null;
        String idle = null;
        for (ObjectNode s : settings) {
            length = Math.max(length, s.path("minimumLength").asInt());
            Complexity c = Complexity.valueOf(s.path("complexity").asText(Complexity.NONE.name()));
            if (c.compareTo(complexity) > 0) {
                complexity = c;
            }
            expiry = shorter(expiry, text(s.get("expiry")));
            if (s.hasNonNull("historyCount")) {
                history = Math.max(
                        history == null ? 0 : history, s.get("historyCount").asInt());
            }
            idle = shorter(idle, text(s.get("lockAfterIdle")));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("minimumLength", length);
        out.put("complexity", complexity.name());
        if (expiry != null) {
            out.put("expiry", expiry);
        }
        if (history != null) {
            out.put("historyCount", history);
        }
        if (idle != null) {
            out.put("lockAfterIdle", idle);
        }
        return out;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** The shorter of two ISO-8601 periods; an absent one imposes nothing. */
    private static String shorter(String current, String candidate) {
        if (candidate == null) {
            return current;
        }
        if (current == null) {
            return candidate;
        }
        return Duration.parse(candidate).compareTo(Duration.parse(current)) < 0 ? candidate : current;
    }
}
