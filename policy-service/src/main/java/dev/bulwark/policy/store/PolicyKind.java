package dev.bulwark.policy.store;

/** The kinds of policy this service owns; each has its own REST resource and its own body. */
public enum PolicyKind {
    APP_PROTECTION,
    DEVICE_COMPLIANCE,
    CONDITIONAL_ACCESS,
    /** A device configuration profile (password, VPN, Wi-Fi, email) for managed devices. */
    DEVICE_CONFIGURATION
}
