package dev.bulwark.assignment.targeting;

import java.util.Objects;

/** One include or exclude line of an assignment; {@code groupId} is empty for the two "all" kinds. */
public record TargetLine(TargetKind kind, String groupId, boolean excluded) {

    public TargetLine {
        Objects.requireNonNull(kind, "kind");
        groupId = groupId == null ? "" : groupId;
    }

    public static TargetLine include(TargetKind kind, String groupId) {
        return new TargetLine(kind, groupId, false);
    }

    public static TargetLine exclude(TargetKind kind, String groupId) {
        return new TargetLine(kind, groupId, true);
    }
}
