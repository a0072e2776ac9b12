package dev.bulwark.compliance.subject;

/** Where a subject (a managed device or an unmanaged app instance's account) stands with its compliance rules. */
public enum SubjectState {
    /** Every rule holds; access is allowed. */
    COMPLIANT,
    /** A rule is broken and automated remediation runs until its deadline; access is blocked meanwhile. */
    NON_COMPLIANT_REMEDIATING,
    /**
     * A rule whose action is to block access is broken and no remediation can fix it from the app or device (a
     * disabled account), or a compliance policy's BLOCK step came due: access is blocked until the rules hold again.
     */
    BLOCKED,
    /** A rule was broken and remediation was disabled or failed: the account was told to sign out and sign in again. */
    SIGNED_OUT
}
