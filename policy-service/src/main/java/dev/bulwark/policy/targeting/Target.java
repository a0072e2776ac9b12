package dev.bulwark.policy.targeting;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.rules.TargetLine;
import dev.bulwark.rules.TargetScope;
import jakarta.validation.constraints.Size;

/**
 * One include or exclude line of a policy: all users, all devices, or a user or device group. {@code excluded} lines
 * take the group's members out again; exclusion wins over inclusion between groups of the same kind
 * ({@code rules.Targeting}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(TargetKind kind, @Size(max = Limits.ID) String groupId, boolean excluded) implements TargetLine {

    @Override
    @JsonIgnore
    public TargetScope targetScope() {
        return switch (kind) {
            case ALL_USERS -> TargetScope.ALL_USERS;
            case ALL_DEVICES -> TargetScope.ALL_DEVICES;
            case USER_GROUP -> TargetScope.USER_GROUP;
            case DEVICE_GROUP -> TargetScope.DEVICE_GROUP;
        };
    }

    @Override
    @JsonIgnore
    public String targetGroup() {
        return groupId;
    }

    public static Target allUsers() {
        return new Target(TargetKind.ALL_USERS, null, false);
    }

    public static Target includeUsers(String groupId) {
        return new Target(TargetKind.USER_GROUP, groupId, false);
    }

    public static Target excludeUsers(String groupId) {
        return new Target(TargetKind.USER_GROUP, groupId, true);
    }
}
