package dev.bulwark.compliance.unmanaged;

import dev.bulwark.rules.Version;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in rules for protected apps on unmanaged devices: an app PIN is set, the device is not jailbroken or
 * rooted, and the app is at least the minimum version configured for it. It stands in until app protection policies
 * arrive from policy-service.
 */
public record UnmanagedBaseline(Map<String, Version> minimumAppVersions) {

    public UnmanagedBaseline {
        minimumAppVersions = Map.copyOf(minimumAppVersions);
    }

    public Optional<Version> minimumAppVersion(String appId) {
        return Optional.ofNullable(minimumAppVersions.get(appId));
    }
}
