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
    /** The managed device was retired: its account was signed out and its reports are no longer evaluated. */
    DEVICE_RETIRED
}
