package dev.bulwark.policy.protection;

/** The platforms app protection policies exist for; each policy is for exactly one. */
public enum ProtectedPlatform {
    ANDROID,
    IOS
}
