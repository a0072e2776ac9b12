package dev.bulwark.policy.access;

import java.util.List;

/**
 * What a conditional-access rule says beyond its name and targets: which resources ("*" = all) require which grants,
 * and whether the rule is on. Stored, and published as PolicyChanged.settingsJson, in this shape.
 */
public record ConditionalAccessBody(
        List<String> resources, List<Grant> require, GrantOperator operator, boolean enabled) {}
