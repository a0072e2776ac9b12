package dev.bulwark.policy.signin;

import dev.bulwark.kit.validation.Limits;
import jakarta.validation.constraints.Size;

/**
 * A protected app's sign-in: which app, which installation (registrationId, optional) and platform (optional; without
 * it the policies of every platform that protect the app apply, which can only be stricter).
 */
public record SignInRequest(
        @Size(max = Limits.ID) String appId,
        @Size(max = Limits.ID) String registrationId,
        @Size(max = Limits.SHORT) String platform) {}
