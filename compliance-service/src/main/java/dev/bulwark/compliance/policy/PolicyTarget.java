package dev.bulwark.compliance.policy;

import dev.bulwark.events.TargetKind;
import java.util.Optional;

/** One include or exclude line of a policy, as PolicyChanged carries it. */
public record PolicyTarget(TargetKind kind, Optional<String> groupId, boolean excluded) {

    public PolicyTarget {
        groupId = groupId == null ? Optional.empty() : groupId;
    }
}
