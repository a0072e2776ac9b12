package dev.bulwark.assignment.projection;

/** A managed (enrolled) device as this service knows it from bulwark.devices.v1. */
public record ManagedDevice(String tenantId, String deviceId, String userId, String platform, boolean active) {}
