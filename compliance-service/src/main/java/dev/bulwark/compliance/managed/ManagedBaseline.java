package dev.bulwark.compliance.managed;

import dev.bulwark.events.Platform;
import dev.bulwark.rules.Version;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in compliance rules for managed devices: a minimum OS version per platform, no jailbreak or root, storage
 * encrypted. It stands in until device compliance policies arrive from policy-service.
 */
public record ManagedBaseline(Map<Platform, Version> minimumOsVersions) {

    public ManagedBaseline {
        minimumOsVersions = Map.copyOf(minimumOsVersions);
    }

    public Optional<Version> minimumOsVersion(Platform platform) {
        return Optional.ofNullable(minimumOsVersions.get(platform));
    }
}
