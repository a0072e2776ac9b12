package dev.bulwark.compliance.unmanaged;

import java.util.Optional;

/**
 * What a protected app on an unmanaged device reports about the facts its rules look at. {@code pinSet} is empty when
 * the app did not report it.
 */
public record AppInstanceReport(String appId, String appVersion, Optional<Boolean> pinSet, boolean jailbroken) {}
