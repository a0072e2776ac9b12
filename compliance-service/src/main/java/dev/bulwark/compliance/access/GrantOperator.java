package dev.bulwark.compliance.access;

/** Whether every grant of a rule is required, or any one of them is enough (policy-service's names). */
public enum GrantOperator {
    REQUIRE_ALL,
    REQUIRE_ONE
}
