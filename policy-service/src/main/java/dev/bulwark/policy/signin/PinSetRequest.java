package dev.bulwark.policy.signin;

import jakarta.validation.constraints.NotNull;

/**
 * The app's report that the user has set their PIN for this account in this installation. The PIN itself never
 * leaves the device; only its length is reported, so the service can ask for a new one when the policy tightens.
 */
public record PinSetRequest(String appId, String registrationId, String platform, @NotNull Integer pinLength) {}
