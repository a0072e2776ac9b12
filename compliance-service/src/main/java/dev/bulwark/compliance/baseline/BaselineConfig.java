package dev.bulwark.compliance.baseline;

import dev.bulwark.compliance.managed.ManagedBaseline;
import dev.bulwark.compliance.remediation.RemediationSettings;
import dev.bulwark.compliance.unmanaged.UnmanagedBaseline;
import dev.bulwark.events.Platform;
import dev.bulwark.rules.Version;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The baseline compliance rules from configuration ({@code bulwark.compliance.baseline.*}) for both paths, used until
 * compliance and app protection policies arrive from policy-service. A bad platform name or version fails the start,
 * not a report.
 */
@ConfigMapping(prefix = "bulwark.compliance.baseline")
public interface BaselineConfig {

    /** Managed devices: minimum OS version per platform, keyed by platform in lower case (android, ios, ...). */
    Map<String, String> minimumOsVersion();

    /**
     * Unmanaged app instances: minimum app version per appId. An appId with dots is quoted in the key, e.g.
     * {@code bulwark.compliance.baseline.minimum-app-version."com.contoso.mail"=5.2}.
     */
    Map<String, String> minimumAppVersion();

    /** Whether a failing subject first gets automated remediation; when false it is signed out at once. */
    @WithDefault("false")
    boolean remediationEnabled();

    /** How long remediation may take before the subject is signed out. */
    @WithDefault("PT1H")
    Duration remediationDeadline();

    default ManagedBaseline managedBaseline() {
        Map<Platform, Version> minimums = new EnumMap<>(Platform.class);
        minimumOsVersion().forEach((platform, version) -> {
            try {
                minimums.put(Platform.valueOf(platform.toUpperCase(Locale.ROOT)), Version.parse(version));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "bulwark.compliance.baseline.minimum-os-version." + platform + "=" + version
                                + " is not a known platform with a version (see rules/README.md): " + e.getMessage(),
                        e);
            }
        });
        return new ManagedBaseline(minimums);
    }

    default UnmanagedBaseline unmanagedBaseline() {
        Map<String, Version> minimums = new HashMap<>();
        minimumAppVersion().forEach((appId, version) -> {
            try {
                minimums.put(appId, Version.parse(version));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "bulwark.compliance.baseline.minimum-app-version." + appId + "=" + version
                                + " is not a version (see rules/README.md): " + e.getMessage(),
                        e);
            }
        });
        return new UnmanagedBaseline(minimums);
    }

    default RemediationSettings remediation() {
        return new RemediationSettings(remediationEnabled(), remediationDeadline());
    }
}
