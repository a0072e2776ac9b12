package dev.bulwark.policy.signout;

import dev.bulwark.policy.support.SignInVersions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sign-outs in force per account, in memory for the sign-in path. A sign-in sees the demands for its app (or every
 * app) that were made for its own installation or for every installation of the account; the newer notice of one app
 * and installation always wins.
 */
@ApplicationScoped
public class SignOutState {

    private final Map<UserKey, Map<Scope, SignOutNotice>> notices = new ConcurrentHashMap<>();
    private final SignInVersions versions;

    public SignOutState(SignInVersions versions) {
        this.versions = versions;
    }

    /**
     * The sign-outs standing for this account in this app on installation {@code registrationId} (null = the app named
     * none, so only the demands for every installation reach it), most specific first.
     */
    public List<SignOutNotice> standing(String tenantId, String userId, String appId, String registrationId) {
        Map<Scope, SignOutNotice> mine = notices.get(new UserKey(tenantId, userId));
        if (mine == null) {
            return List.of();
        }
        List<String> installations = registrationId == null || registrationId.equals(SignOutNotice.EVERY_INSTALLATION)
                ? List.of(SignOutNotice.EVERY_INSTALLATION)
                : List.of(registrationId, SignOutNotice.EVERY_INSTALLATION);
        List<SignOutNotice> standing = new ArrayList<>(2);
        for (String app : List.of(appId, SignOutNotice.EVERY_APP)) {
            for (String installation : installations) {
                SignOutNotice notice = mine.get(new Scope(app, installation));
                if (notice != null && notice.active()) {
                    standing.add(notice);
                }
            }
        }
        return standing;
    }

    void apply(String tenantId, String userId, SignOutNotice notice) {
        Map<Scope, SignOutNotice> mine =
                notices.computeIfAbsent(new UserKey(tenantId, userId), k -> new ConcurrentHashMap<>());
        Scope scope = new Scope(notice.appId(), notice.registrationId());
        SignOutNotice before = mine.get(scope);
        SignOutNotice after = mine.merge(
                scope, notice, (current, incoming) -> incoming.stamp().isBefore(current.stamp()) ? current : incoming);
        if (!after.equals(before)) {
            versions.accountChanged(tenantId, userId);
        }
    }

    /**
     * Learns a demand straight from a SignOutRequired that another replica's consumer is recording (this replica's
     * broadcast feed), so every replica answers "signed out" at once rather than at its next catch-up.
     */
    public void learn(String tenantId, String userId, SignOutNotice notice) {
        apply(tenantId, userId, notice);
    }

    private record UserKey(String tenantId, String userId) {}

    private record Scope(String appId, String registrationId) {}
}
