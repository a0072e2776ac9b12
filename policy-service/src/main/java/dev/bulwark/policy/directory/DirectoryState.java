package dev.bulwark.policy.directory;

import dev.bulwark.policy.support.SignInVersions;
import dev.bulwark.policy.support.Stamped;
import dev.bulwark.policy.targeting.TargetKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this service knows of the directory, in memory for the sign-in path: each user's licence and user groups, and
 * every group seen (with its kind) for checking policy targets. Fed only from bulwark.directory.v1 (through the
 * database rows the consumer writes), never by asking device-registry.
 */
@ApplicationScoped
public class DirectoryState {

    private final Map<UserKey, Stamped<Boolean>> licences = new ConcurrentHashMap<>();
    private final Map<UserKey, Map<String, Stamped<Boolean>>> userGroups = new ConcurrentHashMap<>();
    private final Map<GroupKey, TargetKind> groups = new ConcurrentHashMap<>();
    private final SignInVersions versions;

    DirectoryState(SignInVersions versions) {
        this.versions = versions;
    }

    /** Whether the user holds the licence app protection needs; unknown users do not. */
    public boolean licensed(String tenantId, String userId) {
        Stamped<Boolean> licence = licences.get(new UserKey(tenantId, userId));
        return licence != null && licence.value();
    }

    /** The user groups the user is currently a member of. */
    public Set<String> userGroupsOf(String tenantId, String userId) {
        Map<String, Stamped<Boolean>> memberships = userGroups.get(new UserKey(tenantId, userId));
        if (memberships == null) {
            return Set.of();
        }
        Set<String> current = new java.util.HashSet<>();
        memberships.forEach((group, member) -> {
            if (member.value()) {
                current.add(group);
            }
        });
        return current;
    }

    /** The kind of a group seen in the tenant's directory events; empty when never seen. */
    public Optional<TargetKind> groupKind(String tenantId, String groupId) {
        return Optional.ofNullable(groups.get(new GroupKey(tenantId, groupId)));
    }

    void licence(String tenantId, String userId, Stamped<Boolean> licensed) {
        UserKey key = new UserKey(tenantId, userId);
        Stamped<Boolean> before = licences.get(key);
        Stamped<Boolean> after = licences.merge(key, licensed, Stamped::newer);
        if (before == null || !before.value().equals(after.value())) {
            versions.accountChanged(tenantId, userId);
        }
    }

    void membership(String tenantId, String groupId, TargetKind kind, String memberId, Stamped<Boolean> member) {
        groups.put(new GroupKey(tenantId, groupId), kind);
        if (kind == TargetKind.USER_GROUP) {
            Map<String, Stamped<Boolean>> memberships =
                    userGroups.computeIfAbsent(new UserKey(tenantId, memberId), k -> new ConcurrentHashMap<>());
            Stamped<Boolean> before = memberships.get(groupId);
            Stamped<Boolean> after = memberships.merge(groupId, member, Stamped::newer);
            if (before == null || !before.value().equals(after.value())) {
                versions.accountChanged(tenantId, memberId);
            }
        }
    }

    private record UserKey(String tenantId, String userId) {}

    private record GroupKey(String tenantId, String groupId) {}
}
