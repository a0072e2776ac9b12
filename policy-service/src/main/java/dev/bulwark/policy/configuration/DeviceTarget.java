package dev.bulwark.policy.configuration;

/**
 * A line naming one managed device. Stored in the profile's body (and so in PolicyChanged.settingsJson as
 * {@code deviceTargets}) because the contract's Target record has no device kind.
 */
public record DeviceTarget(String deviceId, boolean excluded) {}
