package dev.bulwark.policy.devices;

/** A device enrolled for management (MDM), as learned from device-registry's events; retired ones are kept, flagged. */
public record ManagedDevice(String tenantId, String deviceId, String userId, String platform, boolean retired) {}
