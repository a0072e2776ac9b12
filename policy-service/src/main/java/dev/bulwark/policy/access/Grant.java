package dev.bulwark.policy.access;

/** What a conditional-access rule requires before a resource is reachable. */
public enum Grant {
    /** A managed device that compliance-service finds compliant with its device compliance policies. */
    COMPLIANT_DEVICE,
    /** A protected app under an app protection policy (MAM), on any device. */
    APP_PROTECTION_POLICY
}
