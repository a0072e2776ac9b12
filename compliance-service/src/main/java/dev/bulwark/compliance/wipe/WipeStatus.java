package dev.bulwark.compliance.wipe;

/** Where a selective wipe stands: asked for, or carried out by the app at a check-in, in success or failure. */
public enum WipeStatus {
    PENDING,
    SUCCESSFUL,
    FAILED
}
