package dev.bulwark.policy.compliance;

import dev.bulwark.kit.validation.Limits;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What a managed device must meet: OS version bounds (either optional), encryption, a device passcode, not jailbroken
 * or rooted, apps that must be installed, and — {@code configurationProfilesApplied} — every configuration profile
 * assigned to the device reported applied (optional; absent means false, so older policies keep their meaning).
 */
public record ComplianceRules(
        @Size(max = Limits.SHORT) String minimumOsVersion,
        @Size(max = Limits.SHORT) String maximumOsVersion,
        Boolean encryptionRequired,
        Boolean passcodeRequired,
        Boolean jailbrokenBlocked,
        @Size(max = Limits.LIST) List<@Size(max = Limits.ID) String> requiredApps,
        Boolean configurationProfilesApplied) {}
