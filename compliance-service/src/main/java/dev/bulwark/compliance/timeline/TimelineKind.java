package dev.bulwark.compliance.timeline;

/** What happened to a subject, as its timeline records it. */
public enum TimelineKind {
    /** First verdict for the subject, and it met every rule. */
    ASSESSED_COMPLIANT,
    /** A report broke rules while the subject was compliant; ComplianceFailed was published. */
    COMPLIANCE_FAILED,
    /** Automated remediation started, with its deadline. */
    REMEDIATION_STARTED,
    /** The remediation attempt ended: succeeded (compliant again) or failed (deadline passed, device retired). */
    REMEDIATION_ENDED,
    /** SignOutRequired was published: remediation was disabled, or its deadline passed. */
    SIGNED_OUT,
    /** A report met every rule again after a failure. */
    COMPLIANCE_RESTORED,
    /** Still non-compliant, but the broken rules or the reported values changed. */
    VIOLATIONS_CHANGED,
    /** Access is blocked without a deadline: a disabled account whose action is block, or a policy's BLOCK step. */
    BLOCKED,
    /** A compliance policy's later step (BLOCK, RETIRE) was scheduled, with when it is due. */
    ESCALATION_SCHEDULED,
    /** A sign-out asked for a selective wipe of the account's corporate data in an app: PENDING. */
    SELECTIVE_WIPE_REQUESTED,
    /** The app reported the selective wipe at a check-in: SUCCESSFUL or FAILED (with the app's reason). */
    SELECTIVE_WIPE_COMPLETED,
    /** The managed device was retired: its account was signed out and its reports are no longer evaluated. */
    DEVICE_RETIRED,
    /**
     * A conditional-access rule changed and with it the decision for one resource (ALLOW to DENY or back), with the
     * rule, the resource, before and after. A decision only: the subject is not signed out.
     */
    ACCESS_CHANGED
}
