package dev.bulwark.policy.configuration;

/** Where a profile stands on one device. */
public enum ProfileStatus {
    /** The apply command was sent; the device has not yet reported this version applied or failed. */
    PENDING,
    /** The device reported the delivered version in force. */
    APPLIED,
    /** The device reported it could not apply the delivered version (reason = the device's words). */
    FAILED,
    /** Another profile reaching the device sets the same thing differently: neither is applied (reason names it). */
    CONFLICT,
    /** The remove command was sent; the device has not yet reported the profile removed. */
    REMOVAL_PENDING,
    /** Off the device: reported removed, or the device was retired. */
    REMOVED;

    /** Whether the profile is on the device or on its way there. */
    boolean active() {
        return this == PENDING || this == APPLIED || this == FAILED;
    }
}
