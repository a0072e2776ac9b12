package dev.bulwark.rules;

/** Who one include or exclude line of a policy names: everyone of a kind, or the members of one group of that kind. */
public enum TargetScope {
    ALL_USERS,
    ALL_DEVICES,
    USER_GROUP,
    DEVICE_GROUP,
    /** A kind this service does not know (an event of a newer publisher): the line names nobody. */
    UNKNOWN;

    /** Whether the line names a group (and so carries a group id). */
    public boolean isGroup() {
        return this == USER_GROUP || this == DEVICE_GROUP;
    }

    /** Whether the line is about users (rather than devices). */
    public boolean isUserKind() {
        return this == ALL_USERS || this == USER_GROUP;
    }
}
