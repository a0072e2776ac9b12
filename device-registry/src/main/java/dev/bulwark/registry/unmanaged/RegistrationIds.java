package dev.bulwark.registry.unmanaged;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Derives an app instance's registrationId from tenant + user + app + installation, so that an app registering again
 * (after a reinstall of the SDK state, or a retry) is the same subject, and so that two tenants or two accounts in one
 * installation never share one.
 */
public final class RegistrationIds {

    private RegistrationIds() {}

    /** A name-based (version 3) UUID, prefixed {@code reg-} so it is never mistaken for a deviceId. */
    public static String of(String tenantId, String userId, String appId, String installationId) {
        String name = String.join("\u0000", tenantId, userId, appId, installationId);
        return "reg-" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
