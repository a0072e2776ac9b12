package dev.bulwark.policy.templates;

/**
 * The levels of the app protection data protection framework: a ready starting point for an app protection policy,
 * from basic (level 1) to high (level 3). "Apply minimum data protection" is step 1 of managing protected apps.
 */
public enum DataProtectionLevel {
    BASIC(1),
    ENHANCED(2),
    HIGH(3);

    private final int number;

    DataProtectionLevel(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
