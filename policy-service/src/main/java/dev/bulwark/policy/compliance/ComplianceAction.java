package dev.bulwark.policy.compliance;

/**
 * A step of the graduated schedule for a non-compliant managed device, from mildest to harshest. The harsher steps
 * never come before the milder ones.
 */
public enum ComplianceAction {
    /** Tell the user (e-mail or push) what to fix. */
    NOTIFY,
    /** The device counts as non-compliant; conditional access stops treating it as compliant. */
    MARK_NON_COMPLIANT,
    /** Block access to corporate resources from the device. */
    BLOCK,
    /** Retire the device: remove corporate data and management. */
    RETIRE
}
