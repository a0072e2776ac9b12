package dev.bulwark.policy.compliance;

/** The platforms of managed devices; a device compliance policy is for exactly one. */
public enum DevicePlatform {
    ANDROID,
    IOS,
    WINDOWS,
    MACOS
}
