package dev.bulwark.registry.managed;

/**
 * Fired (synchronously, inside the retiring transaction) when a device is retired, so that features holding the device
 * elsewhere, such as device groups, drop it in the same transaction without the device feature knowing them.
 */
public record DeviceRetirement(String tenantId, String deviceId) {}
