package dev.bulwark.policy.access;

/** Whether every listed grant is required, or any one of them is enough. */
public enum GrantOperator {
    REQUIRE_ALL,
    REQUIRE_ONE
}
