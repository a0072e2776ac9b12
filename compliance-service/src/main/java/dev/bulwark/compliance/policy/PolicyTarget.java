package dev.bulwark.compliance.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.bulwark.events.TargetKind;
import dev.bulwark.rules.TargetLine;
import dev.bulwark.rules.TargetScope;
import java.util.Optional;

/** One include or exclude line of a policy, as PolicyChanged carries it; {@code rules.Targeting} decides who it reaches. */
public record PolicyTarget(TargetKind kind, Optional<String> groupId, boolean excluded) implements TargetLine {

    public PolicyTarget {
        groupId = groupId == null ? Optional.empty() : groupId;
    }

    @Override
    @JsonIgnore
    public TargetScope targetScope() {
        return switch (kind) {
            case ALL_USERS -> TargetScope.ALL_USERS;
            case ALL_DEVICES -> TargetScope.ALL_DEVICES;
            case USER_GROUP -> TargetScope.USER_GROUP;
            case DEVICE_GROUP -> TargetScope.DEVICE_GROUP;
            case UNKNOWN -> TargetScope.UNKNOWN;
        };
    }

    @Override
    @JsonIgnore
    public String targetGroup() {
        return groupId.orElse(null);
    }
}
