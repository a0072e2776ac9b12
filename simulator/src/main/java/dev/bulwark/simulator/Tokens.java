package dev.bulwark.simulator;

import dev.bulwark.infra.DevKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mints the bearer tokens an identity provider would hand the simulated admins and users, with the local stack's key
 * pair; one token per identity, reused for the run. Devices do not get theirs here: they act with the credential their
 * enrollment answered with.
 */
public final class Tokens {

    private static final Duration TTL = Duration.ofHours(8);

    private final DevKeys keys;
    private final String issuer;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public Tokens(Path keysDir, String issuer) {
        this.keys = DevKeys.loadOrCreate(keysDir);
        this.issuer = issuer;
    }

    public String admin(String tenant) {
        return cache.computeIfAbsent(tenant + "|admin", k -> mint(tenant, "sim-admin", "admin", Optional.empty()));
    }

    public String user(String tenant, String userId) {
        return cache.computeIfAbsent(tenant + "|user|" + userId, k -> mint(tenant, userId, "user", Optional.empty()));
    }

    /** A fresh user token (a new iat): what a real sign-in after a sign-out gets from the identity provider. */
    String freshUser(String tenant, String userId) {
        String token = mint(tenant, userId, "user", Optional.empty());
        cache.put(tenant + "|user|" + userId, token);
        return token;
    }

    private String mint(String tenant, String subject, String role, Optional<String> deviceId) {
        return keys.mint(issuer, tenant, subject, Set.of(role), deviceId, TTL);
    }
}
