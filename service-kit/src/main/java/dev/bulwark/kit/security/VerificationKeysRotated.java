package dev.bulwark.kit.security;

/**
 * Fired (a CDI event) by a source of verification keys that replaced its keys without a change of configuration — a
 * JWKS refresh that dropped a key, say: every cached verified token is dropped and verified again on its next use.
 */
public record VerificationKeysRotated(String reason) {}
