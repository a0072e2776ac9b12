package dev.bulwark.compliance.access;

/** The answer to "may this subject reach this resource now?". */
public enum AccessDecision {
    ALLOW,
    /** Not now: the subject is out of compliance (remediating), retired, or not yet evaluated. */
    BLOCK,
    /** The account was signed out; it must sign in again, and is allowed once the subject complies. */
    SIGNED_OUT
}
