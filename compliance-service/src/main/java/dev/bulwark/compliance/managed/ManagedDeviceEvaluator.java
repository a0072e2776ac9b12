package dev.bulwark.compliance.managed;

import dev.bulwark.compliance.projection.ManagedDevices.ProfileStatus;
import dev.bulwark.compliance.rules.MinimumVersionRule;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.rules.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a managed device's report against the baseline and names every rule it breaks, with what the rule expected
 * and what the device reported. An empty list means compliant.
 */
public final class ManagedDeviceEvaluator {

    public static final String MINIMUM_OS_VERSION = "minimumOsVersion";
    public static final String JAILBROKEN = "jailbroken";
    public static final String ENCRYPTION_REQUIRED = "encryptionRequired";
    public static final String MAXIMUM_OS_VERSION = "maximumOsVersion";
    public static final String PASSCODE_REQUIRED = "passcodeRequired";
    public static final String REQUIRED_APP = "requiredApp";
    /** One finding per configuration profile the device failed to apply; expected "{profileId} applied". */
    public static final String CONFIGURATION_PROFILES_APPLIED = "configurationProfilesApplied";

    private static final String APPLIED = " applied";

    /** The profile a {@link #CONFIGURATION_PROFILES_APPLIED} finding names. */
    public static String profileIdOf(Violation violation) {
        String expected = violation.expected();
        return expected.endsWith(APPLIED) ? expected.substring(0, expected.length() - APPLIED.length()) : expected;
    }

    private final ManagedBaseline baseline;

    public ManagedDeviceEvaluator(ManagedBaseline baseline) {
        this.baseline = baseline;
    }

    public List<Violation> evaluate(ManagedDeviceReport report) {
        List<Violation> violations = new ArrayList<>();
        baseline.minimumOsVersion(report.platform())
                .flatMap(minimum -> osVersionViolation(report.osVersion(), minimum))
                .ifPresent(violations::add);
        if (report.jailbroken()) {
            violations.add(new Violation(JAILBROKEN, "false", "true", "it is jailbroken or rooted"));
        }
        // Not reported is not the same as reported unencrypted: an agent that cannot tell is not penalised here.
        if (report.encrypted().filter(encrypted -> !encrypted).isPresent()) {
            violations.add(new Violation(ENCRYPTION_REQUIRED, "true", "false", "its storage is not encrypted"));
        }
        return List.copyOf(violations);
    }

    /** Checks the report against one device compliance policy; each finding names the policy. */
    public static List<Violation> evaluate(ManagedDeviceReport report, DeviceCompliancePolicy policy) {
        List<Violation> violations = new ArrayList<>();
        policy.minimumOsVersion()
                .flatMap(minimum -> osVersionViolation(report.osVersion(), minimum))
                .ifPresent(violations::add);
        policy.maximumOsVersion().ifPresent(maximum -> {
            Optional<Version> actual = Version.tryParse(report.osVersion());
            if (actual.isEmpty() || maximum.isBelow(actual.get())) {
                violations.add(new Violation(
                        MAXIMUM_OS_VERSION,
                        "<= " + maximum,
                        report.osVersion(),
                        "its OS version " + report.osVersion() + " is above the maximum " + maximum));
            }
        });
        if (policy.jailbrokenBlocked() && report.jailbroken()) {
            violations.add(new Violation(JAILBROKEN, "false", "true", "it is jailbroken or rooted"));
        }
        if (policy.encryptionRequired()
                && report.encrypted().filter(encrypted -> !encrypted).isPresent()) {
            violations.add(new Violation(ENCRYPTION_REQUIRED, "true", "false", "its storage is not encrypted"));
        }
        if (policy.passcodeRequired()
                && report.passcodeSet().filter(set -> !set).isPresent()) {
            violations.add(new Violation(PASSCODE_REQUIRED, "true", "false", "no device passcode is set"));
        }
        for (String app : policy.requiredApps()) {
            if (!report.installedApps().contains(app)) {
                violations.add(new Violation(
                        REQUIRED_APP, app, "not installed", "the required app " + app + " is not installed"));
            }
        }
        if (policy.configurationProfilesApplied()) {
            for (ProfileStatus profile : report.configurationProfiles()) {
                if ("FAILED".equals(profile.state())) {
                    String reason = profile.reason() == null ? "no reason given" : profile.reason();
                    violations.add(new Violation(
                            CONFIGURATION_PROFILES_APPLIED,
                            profile.profileId() + APPLIED,
                            "FAILED: " + reason,
                            "the configuration profile " + profile.profileId() + " could not be applied (" + reason
                                    + ")"));
                }
            }
        }
        return violations.stream().map(v -> v.from(policy.policyId(), false)).toList();
    }

    private static Optional<Violation> osVersionViolation(String reported, Version minimum) {
        return MinimumVersionRule.check(MINIMUM_OS_VERSION, "its OS version", reported, minimum);
    }
}
