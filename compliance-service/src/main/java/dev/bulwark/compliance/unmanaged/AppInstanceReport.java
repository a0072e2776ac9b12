package dev.bulwark.compliance.unmanaged;

import java.util.Optional;

/**
 * What a protected app on an unmanaged device reports about the facts its rules look at. {@code pinSet} is empty when
 * the app did not report it. {@code accountDisabled} is the directory's fact about the user, not the app's.
 */
public record AppInstanceReport(
        String appId,
        String appVersion,
        String osVersion,
        Optional<Boolean> pinSet,
        boolean jailbroken,
        boolean accountDisabled) {

    /** A report whose user's account is enabled. */
    public AppInstanceReport(
            String appId, String appVersion, String osVersion, Optional<Boolean> pinSet, boolean jailbroken) {
        this(appId, appVersion, osVersion, pinSet, jailbroken, false);
    }

    /** A report without the OS version, which only policies check. */
    public AppInstanceReport(String appId, String appVersion, Optional<Boolean> pinSet, boolean jailbroken) {
        this(appId, appVersion, "", pinSet, jailbroken);
    }
}
