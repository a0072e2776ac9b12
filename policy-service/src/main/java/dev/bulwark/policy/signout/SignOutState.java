package dev.bulwark.policy.signout;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The sign-outs in force per account, in memory for the sign-in path; the newer notice of an app always wins. */
@ApplicationScoped
public class SignOutState {

    private final Map<UserKey, Map<String, SignOutNotice>> notices = new ConcurrentHashMap<>();

    /** The standing sign-out for this account in this app (its own, or one for every app), if any. */
    public Optional<SignOutNotice> standing(String tenantId, String userId, String appId) {
        Map<String, SignOutNotice> mine = notices.get(new UserKey(tenantId, userId));
        if (mine == null) {
            return Optional.empty();
        }
        SignOutNotice forApp = mine.get(appId);
        if (forApp != null && forApp.active()) {
            return Optional.of(forApp);
        }
        SignOutNotice forAll = mine.get(SignOutNotice.EVERY_APP);
        return forAll != null && forAll.active() ? Optional.of(forAll) : Optional.empty();
    }

    void apply(String tenantId, String userId, SignOutNotice notice) {
        notices.computeIfAbsent(new UserKey(tenantId, userId), k -> new ConcurrentHashMap<>())
                .merge(
                        notice.appId(),
                        notice,
                        (current, incoming) -> incoming.stamp().isBefore(current.stamp()) ? current : incoming);
    }

    private record UserKey(String tenantId, String userId) {}
}
