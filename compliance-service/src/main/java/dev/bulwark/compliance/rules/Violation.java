package dev.bulwark.compliance.rules;

import java.util.Objects;

/**
 * One compliance rule a subject broke: the rule id (as carried by the {@code RuleViolation} event type), what the rule
 * expected, what the subject reported, and a sentence a user can read.
 */
public record Violation(String rule, String expected, String actual, String summary) {

    public Violation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(summary, "summary");
    }
}
