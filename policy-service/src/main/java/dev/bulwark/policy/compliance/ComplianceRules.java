package dev.bulwark.policy.compliance;

import java.util.List;

/**
 * What a managed device must meet: OS version bounds (either optional), encryption, a device passcode, not jailbroken
 * or rooted, and apps that must be installed.
 */
public record ComplianceRules(
        String minimumOsVersion,
        String maximumOsVersion,
        Boolean encryptionRequired,
        Boolean passcodeRequired,
        Boolean jailbrokenBlocked,
        List<String> requiredApps) {}
