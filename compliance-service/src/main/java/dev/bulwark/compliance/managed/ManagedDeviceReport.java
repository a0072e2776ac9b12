package dev.bulwark.compliance.managed;

import dev.bulwark.events.Platform;
import java.util.Optional;

/**
 * What a managed device's check-in says about the facts the compliance rules look at. {@code encrypted} is empty when
 * the agent did not report it.
 */
public record ManagedDeviceReport(
        Platform platform, String osVersion, Optional<Boolean> encrypted, boolean jailbroken) {}
