package dev.bulwark.assignment.projection;

/** A protected app registered by a user's identity on an unmanaged device (MAM), from bulwark.devices.v1. */
public record AppInstance(String tenantId, String registrationId, String userId, String appId, String platform) {}
