package dev.bulwark.policy.signin;

import dev.bulwark.policy.support.SignInVersions;
import dev.bulwark.policy.support.Stamped;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which accounts have set their app PIN, per app and installation, in memory for the sign-in path. A length of 0 means
 * the PIN was reset (for example by a selective wipe) and must be set again.
 */
@ApplicationScoped
public class PinState {

    private final Map<UserKey, Map<AppKey, Stamped<Integer>>> pins = new ConcurrentHashMap<>();
    private final SignInVersions versions;

    PinState(SignInVersions versions) {
        this.versions = versions;
    }

    /** The length of the PIN set for this account in this app installation, if one is set. */
    public Optional<Integer> pinLength(String tenantId, String userId, String appId, String registrationId) {
        Map<AppKey, Stamped<Integer>> mine = pins.get(new UserKey(tenantId, userId));
        if (mine == null) {
            return Optional.empty();
        }
        Stamped<Integer> pin = mine.get(new AppKey(appId, registrationId));
        return pin == null || pin.value() == 0 ? Optional.empty() : Optional.of(pin.value());
    }

    void apply(String tenantId, String userId, String appId, String registrationId, Stamped<Integer> length) {
        Map<AppKey, Stamped<Integer>> mine =
                pins.computeIfAbsent(new UserKey(tenantId, userId), k -> new ConcurrentHashMap<>());
        AppKey key = new AppKey(appId, registrationId);
        Stamped<Integer> before = mine.get(key);
        Stamped<Integer> after = mine.merge(key, length, Stamped::newer);
        if (before == null || !before.value().equals(after.value())) {
            versions.accountChanged(tenantId, userId);
        }
    }

    /**
     * Forgets the PINs of the account in {@code appId} ("*" = every app) on {@code registrationId} (empty = every
     * installation), as of {@code at}.
     */
    void reset(String tenantId, String userId, String appId, Optional<String> registrationId, java.time.Instant at) {
        Map<AppKey, Stamped<Integer>> mine = pins.get(new UserKey(tenantId, userId));
        if (mine == null) {
            return;
        }
        mine.replaceAll((key, pin) -> ("*".equals(appId) || key.appId().equals(appId))
                        && registrationId.map(key.registrationId()::equals).orElse(true)
                ? Stamped.newer(pin, new Stamped<>(0, at))
                : pin);
        versions.accountChanged(tenantId, userId);
    }

    private record UserKey(String tenantId, String userId) {}

    private record AppKey(String appId, String registrationId) {}
}
