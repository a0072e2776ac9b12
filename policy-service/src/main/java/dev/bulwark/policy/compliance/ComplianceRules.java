package dev.bulwark.policy.compliance;

import java.util.List;

/**
 * What a managed device must meet: OS version bounds (either optional), encryption, a device passcode, not jailbroken
 * or rooted, apps that must be installed, and — {@code configurationProfilesApplied} — every configuration profile
 * assigned to the device reported applied (optional; absent means false, so older policies keep their meaning).
 */
public record ComplianceRules(
        String minimumOsVersion,
        String maximumOsVersion,
        Boolean encryptionRequired,
        Boolean passcodeRequired,
        Boolean jailbrokenBlocked,
        List<String> requiredApps,
        Boolean configurationProfilesApplied) {}
