package dev.bulwark.compliance.unmanaged;

import java.util.Optional;

/**
 * What a protected app on an unmanaged device reports about the facts its rules look at. {@code pinSet} is empty when
 * the app did not report it.
 */
public record AppInstanceReport(
        String appId, String appVersion, String osVersion, Optional<Boolean> pinSet, boolean jailbroken) {

    /** A report without the OS version, which only policies check. */
    public AppInstanceReport(String appId, String appVersion, Optional<Boolean> pinSet, boolean jailbroken) {
        this(appId, appVersion, "", pinSet, jailbroken);
    }
}
