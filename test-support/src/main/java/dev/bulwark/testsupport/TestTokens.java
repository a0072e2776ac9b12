package dev.bulwark.testsupport;

import dev.bulwark.infra.DevKeys;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Bearer tokens for tests, signed with the key the service under test verifies with. */
public final class TestTokens {

    private static final Duration TTL = Duration.ofHours(1);

    private TestTokens() {}

    /** A tenant administrator of {@code tenantId}. */
    public static String admin(String tenantId) {
        return mint(tenantId, "admin@" + tenantId, Set.of("admin"), Optional.empty());
    }

    /** An end user (or a protected app acting for them). */
    public static String user(String tenantId, String userId) {
        return mint(tenantId, userId, Set.of("user"), Optional.empty());
    }

    /** A managed device's agent, acting for that device only. */
    public static String device(String tenantId, String deviceId) {
        return mint(tenantId, deviceId, Set.of("device"), Optional.of(deviceId));
    }

    /** Another Bulwark service. */
    public static String service(String tenantId, String serviceName) {
        return mint(tenantId, serviceName, Set.of("service"), Optional.empty());
    }

    /** Any combination, e.g. a token without the tenant's roles. */
    public static String mint(String tenantId, String subject, Set<String> roles, Optional<String> deviceId) {
        return BulwarkInfra.keys().mint(DevKeys.DEFAULT_ISSUER, tenantId, subject, roles, deviceId, TTL);
    }
}
