package dev.bulwark.compliance.managed;

import dev.bulwark.compliance.projection.ManagedDevices.ProfileStatus;
import dev.bulwark.events.Platform;
import java.util.List;
import java.util.Optional;

/**
 * What a managed device's check-in says about the facts the compliance rules look at. {@code encrypted} and
 * {@code passcodeSet} are empty when the agent did not report them; {@code configurationProfiles} are the outcomes of
 * the configuration profiles it was told to apply or remove.
 */
public record ManagedDeviceReport(
        Platform platform,
        String osVersion,
        Optional<Boolean> encrypted,
        boolean jailbroken,
        Optional<Boolean> passcodeSet,
        List<String> installedApps,
        List<ProfileStatus> configurationProfiles) {

    public ManagedDeviceReport {
        installedApps = List.copyOf(installedApps);
        configurationProfiles = List.copyOf(configurationProfiles);
    }

    /** A report without configuration profiles. */
    public ManagedDeviceReport(
            Platform platform,
            String osVersion,
            Optional<Boolean> encrypted,
            boolean jailbroken,
            Optional<Boolean> passcodeSet,
            List<String> installedApps) {
        this(platform, osVersion, encrypted, jailbroken, passcodeSet, installedApps, List.of());
    }

    /** The facts the baseline looks at. */
    public ManagedDeviceReport(Platform platform, String osVersion, Optional<Boolean> encrypted, boolean jailbroken) {
        this(platform, osVersion, encrypted, jailbroken, Optional.empty(), List.of());
    }
}
