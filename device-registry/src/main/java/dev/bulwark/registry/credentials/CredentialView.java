package dev.bulwark.registry.credentials;

import java.time.Instant;

/**
 * A device's or an app instance's credential as the API answers it: the bearer token it acts with and when that ends.
 * In the answer to an enrollment or a registration, and in a check-in's answer when it was renewed.
 */
public record CredentialView(String token, Instant expiresAt) {

    public static CredentialView of(DeviceCredentialIssuer.Credential credential) {
        return new CredentialView(credential.token(), credential.expiresAt());
    }
}
