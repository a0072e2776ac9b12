package dev.bulwark.policy.signin;

import dev.bulwark.kit.validation.Limits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The app's report that the user has set their PIN for this account in this installation. The PIN itself never
 * leaves the device; only its length is reported, so the service can ask for a new one when the policy tightens.
 */
public record PinSetRequest(
        @Size(max = Limits.ID) String appId,
        @Size(max = Limits.ID) String registrationId,
        @Size(max = Limits.SHORT) String platform,
        @NotNull Integer pinLength) {}
