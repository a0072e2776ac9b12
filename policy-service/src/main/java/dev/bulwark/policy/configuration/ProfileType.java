package dev.bulwark.policy.configuration;

/** What a configuration profile configures on a managed device; each type has its own settings. */
public enum ProfileType {
    /** A device passcode policy: length, complexity, expiry, history, lock after idle. */
    PASSWORD,
    /** A VPN connection. */
    VPN,
    /** A Wi-Fi network. */
    WIFI,
    /** An email account. */
    EMAIL
}
