package dev.bulwark.policy.targeting;

/** Who an include or exclude line names: everyone of a kind, or the members of one group of that kind. */
public enum TargetKind {
    ALL_USERS,
    ALL_DEVICES,
    USER_GROUP,
    DEVICE_GROUP;

    /** Whether the line names a group (and so needs a groupId). */
    public boolean isGroup() {
        return this == USER_GROUP || this == DEVICE_GROUP;
    }
}
