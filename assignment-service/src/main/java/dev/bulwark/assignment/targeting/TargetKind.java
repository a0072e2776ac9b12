package dev.bulwark.assignment.targeting;

/**
 * Who an assignment line names. User-side kinds reach a user's managed devices and their unmanaged app instances;
 * device-side kinds reach managed devices only. Exclusion only cancels inclusion of the same side.
 */
public enum TargetKind {
    ALL_LICENSED_USERS(false, true),
    ALL_DEVICES(false, false),
    USER_GROUP(true, true),
    DEVICE_GROUP(true, false);

    private final boolean group;
    private final boolean userSide;

    TargetKind(boolean group, boolean userSide) {
        this.group = group;
        this.userSide = userSide;
    }

    public boolean isGroup() {
        return group;
    }

    public boolean isUserSide() {
        return userSide;
    }
}
