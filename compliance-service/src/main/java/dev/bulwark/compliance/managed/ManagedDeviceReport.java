package dev.bulwark.compliance.managed;

import dev.bulwark.events.Platform;
import java.util.List;
import java.util.Optional;

/**
 * What a managed device's check-in says about the facts the compliance rules look at. {@code encrypted} and
 * {@code passcodeSet} are empty when the agent did not report them.
 */
public record ManagedDeviceReport(
        Platform platform,
        String osVersion,
        Optional<Boolean> encrypted,
        boolean jailbroken,
        Optional<Boolean> passcodeSet,
        List<String> installedApps) {

    public ManagedDeviceReport {
        installedApps = List.copyOf(installedApps);
    }

    /** The facts the baseline looks at. */
    public ManagedDeviceReport(Platform platform, String osVersion, Optional<Boolean> encrypted, boolean jailbroken) {
        this(platform, osVersion, encrypted, jailbroken, Optional.empty(), List.of());
    }
}
