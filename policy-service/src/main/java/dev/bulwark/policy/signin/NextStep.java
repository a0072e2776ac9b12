package dev.bulwark.policy.signin;

/** What the protected app does next, before it shows any work data. */
public enum NextStep {
    /** Ask the user to set an access PIN (first sign-in, after a wipe, or when the PIN no longer meets the policy). */
    SET_PIN,
    /** Ask the user for their PIN. */
    ENTER_PIN,
    /** Sign the account out and show the message; the user must sign back in. */
    SIGN_IN_AGAIN,
    /** Go on; nothing to ask. */
    CONTINUE
}
