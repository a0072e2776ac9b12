package dev.bulwark.registry.managed;

/** ACTIVE = managed and checking in; RETIRED = unenrolled, kept for the audit trail and refusing check-ins. */
public enum DeviceStatus {
    ACTIVE,
    RETIRED
}
