package dev.bulwark.compliance.managed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.compliance.policy.StoredPolicy;
import dev.bulwark.events.Platform;
import dev.bulwark.rules.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A device compliance policy as the managed path reads it from PolicyChanged.settingsJson ({@code {rules, actions}}):
 * the rules a device must meet, and the grace period of its MARK_NON_COMPLIANT action. That grace period is the
 * remediation deadline: until then the device gets remediation commands; after it the device is marked non-compliant
 * and signed out of its protected apps. A grace period of zero means no remediation: sign-out at once. The later steps
 * BLOCK (access blocked) and RETIRE (signed out with a selective wipe, reason DEVICE_RETIRED) follow at their own
 * periods after the device became non-compliant. {@code rules.configurationProfilesApplied}: every configuration
 * profile the device reports must be applied (none FAILED).
 */
public record DeviceCompliancePolicy(
        StoredPolicy policy,
        Optional<Version> minimumOsVersion,
        Optional<Version> maximumOsVersion,
        boolean encryptionRequired,
        boolean passcodeRequired,
        boolean jailbrokenBlocked,
        List<String> requiredApps,
        Duration gracePeriod,
        boolean configurationProfilesApplied,
        Optional<Duration> blockAfter,
        Optional<Duration> retireAfter) {

    public static DeviceCompliancePolicy from(StoredPolicy policy) {
        JsonNode rules = policy.settings().path("rules");
        List<String> apps = new ArrayList<>();
        rules.path("requiredApps").forEach(app -> apps.add(app.asText()));
        Duration grace = Duration.ZERO;
        Optional<Duration> block = Optional.empty();
        Optional<Duration> retire = Optional.empty();
        for (JsonNode step : policy.settings().path("actions")) {
            Duration after = Duration.parse(step.path("after").asText("PT0S"));
            switch (step.path("action").asText()) {
                case "MARK_NON_COMPLIANT" -> grace = after;
                case "BLOCK" -> block = Optional.of(after);
                case "RETIRE" -> retire = Optional.of(after);
                default -> {
                    // NOTIFY: the remediation commands tell the user
                }
            }
        }
        return new DeviceCompliancePolicy(
                policy,
                version(rules.get("minimumOsVersion")),
                version(rules.get("maximumOsVersion")),
                rules.path("encryptionRequired").asBoolean(false),
                rules.path("passcodeRequired").asBoolean(false),
                rules.path("jailbrokenBlocked").asBoolean(false),
                List.copyOf(apps),
                grace,
                rules.path("configurationProfilesApplied").asBoolean(false),
                block,
                retire);
    }

    public boolean covers(Platform platform) {
        return policy.coversPlatform(platform);
    }

    public String policyId() {
        return policy.policyId();
    }

    private static Optional<Version> version(JsonNode node) {
        return node == null || node.isNull() ? Optional.empty() : Optional.of(Version.parse(node.asText()));
    }
}
