package dev.bulwark.compliance.remediation;

/** Where a remediation deadline stands: waiting, fired once (the subject was signed out), or no longer needed. */
public enum DeadlineStatus {
    PENDING,
    FIRED,
    CANCELLED
}
