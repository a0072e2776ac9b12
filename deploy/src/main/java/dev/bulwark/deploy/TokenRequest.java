package dev.bulwark.deploy;

import dev.bulwark.infra.DevKeys;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who a local-stack token speaks for: a tenant, one role, a subject and, for a device's agent, the device. Defaults
 * follow the test tokens so that a token minted by hand looks like one a test would use.
 */
public record TokenRequest(String tenantId, Role role, String subject, Optional<String> deviceId, Duration ttl) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(12);

    public TokenRequest {
        requireText(tenantId, "tenant");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(deviceId, "deviceId");
        if (role == Role.DEVICE && deviceId.isEmpty()) {
            throw new IllegalArgumentException("a device token needs the device id (--device)");
        }
        requireText(subject, "subject");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a token's lifetime must be positive");
        }
    }

    /**
     * A request with the usual subject for its role when none is given: {@code admin@<tenant>} for an admin, {@code
     * user@<tenant>} for a user, the device id for a device, {@code local-stack} for a service, {@code
     * operator@local-stack} for an operator.
     */
    public static TokenRequest of(String tenantId, Role role, Optional<String> subject, Optional<String> deviceId) {
        String chosen = subject.orElseGet(() -> switch (role) {
            case ADMIN -> "admin@" + tenantId;
            case USER -> "user@" + tenantId;
            case DEVICE -> deviceId.orElse("");
            case SERVICE -> "local-stack";
            case OPERATOR -> "operator@local-stack";
        });
        return new TokenRequest(tenantId, role, chosen, deviceId, DEFAULT_TTL);
    }

    public static TokenRequest admin(String tenantId) {
        return of(tenantId, Role.ADMIN, Optional.empty(), Optional.empty());
    }

    public static TokenRequest device(String tenantId, String deviceId) {
        return of(tenantId, Role.DEVICE, Optional.empty(), Optional.of(deviceId));
    }

    public TokenRequest withTtl(Duration chosen) {
        return new TokenRequest(tenantId, role, subject, deviceId, chosen);
    }

    /** The signed token, with the issuer the stack's services verify. */
    public String mintWith(DevKeys keys) {
        return keys.mint(DevKeys.DEFAULT_ISSUER, tenantId, subject, Set.of(role.claim()), deviceId, ttl);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the token's " + what + " must not be empty");
        }
    }
}
