package dev.bulwark.policy.signin;

/** Where the account stands with app protection in this app. */
public enum SignInStatus {
    /** Licensed and targeted: the effective policy applies before any work data is reachable. */
    PROTECTED,
    /** No policy for this app targets the user: nothing applies. */
    NOT_TARGETED,
    /** Targeted but without the licence app protection needs: no rules apply; ask again later. */
    UNLICENSED,
    /** compliance-service required this account to sign out: sign in again. */
    SIGNED_OUT
}
