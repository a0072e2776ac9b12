package dev.bulwark.compliance.access;

/** The answer to "may this subject reach this resource now?". */
public enum AccessDecision {
    ALLOW,
    /** Not now: the subject is out of compliance (remediating), retired, or not yet evaluated. */
    BLOCK,
    /** The account was signed out; it must sign in again, and is allowed once the subject complies. */
    SIGNED_OUT,
    /**
     * This resource only: a conditional-access rule that names it is not met (e.g. it needs a compliant managed
     * device). The subject stays signed in and may reach the resources no failing rule names.
     */
    DENY
}
