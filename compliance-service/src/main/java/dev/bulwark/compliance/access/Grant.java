package dev.bulwark.compliance.access;

/** What a conditional-access rule requires before a resource is reachable (policy-service's names). */
public enum Grant {
    /** The subject is a managed device, under management and compliant with its device compliance policies. */
    COMPLIANT_DEVICE,
    /** The subject is an app instance that an app protection policy protects (targets, licensed) and complies with. */
    APP_PROTECTION_POLICY,
    /** A grant a newer policy-service may publish that this version does not know: never met (fail closed). */
    UNKNOWN
}
