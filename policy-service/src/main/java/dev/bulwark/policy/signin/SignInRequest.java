package dev.bulwark.policy.signin;

/**
 * A protected app's sign-in: which app, which installation (registrationId, optional) and platform (optional; without
 * it the policies of every platform that protect the app apply, which can only be stricter).
 */
public record SignInRequest(String appId, String registrationId, String platform) {}
