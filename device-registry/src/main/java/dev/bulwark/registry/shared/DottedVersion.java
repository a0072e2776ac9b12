package dev.bulwark.registry.shared;

/**
 * The shape of an operating system or app version the registry accepts: dotted digits such as {@code 17}, {@code 17.5}
 * or {@code 10.0.19045}. Compliance compares versions numerically, so anything else would be unreadable downstream.
 */
public final class DottedVersion {

    /** For {@code @Pattern}: one to four groups of at most nine digits. */
    public static final String PATTERN = "\\d{1,9}(\\.\\d{1,9}){0,3}";

    public static final String MESSAGE = "must be dotted digits such as 17.5 or 10.0.19045";

    private DottedVersion() {}

    public static boolean isValid(String version) {
        return version != null && version.matches(PATTERN);
    }
}
