package dev.bulwark.compliance.rules;

import java.util.Objects;
import java.util.Optional;

/**
 * One compliance rule a subject broke: the rule id (as carried by the {@code RuleViolation} event type), what the rule
 * expected, what the subject reported, and a sentence a user can read. {@code policyId} names the policy the rule came
 * from (empty for the built-in baseline); {@code wipe} is set when that policy's action for it is to wipe the app's
 * corporate data, so a sign-out for it carries a selective wipe.
 */
public record Violation(
        String rule, String expected, String actual, String summary, Optional<String> policyId, boolean wipe) {

    public Violation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(summary, "summary");
        // stored violations written before policies existed have no policyId
        policyId = policyId == null ? Optional.empty() : policyId;
    }

    /** A rule of the built-in baseline. */
    public Violation(String rule, String expected, String actual, String summary) {
        this(rule, expected, actual, summary, Optional.empty(), false);
    }

    /** The same finding, attributed to {@code policy} with its action. */
    public Violation from(String policy, boolean wipeData) {
        return new Violation(rule, expected, actual, summary, Optional.of(policy), wipeData);
    }
}
