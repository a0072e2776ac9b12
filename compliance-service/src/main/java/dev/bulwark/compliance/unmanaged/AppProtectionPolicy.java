package dev.bulwark.compliance.unmanaged;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.compliance.policy.StoredPolicy;
import dev.bulwark.compliance.policy.VersionLevels;
import dev.bulwark.events.Platform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an app protection policy that compliance checks at a check-in (conditional launch): PIN set, minimum OS
 * and app versions per level, jailbroken or rooted, disabled account ({@code BLOCK_ACCESS} / {@code WIPE_DATA}; absent =
 * not checked), the offline periods before an access check and before a wipe, and the policy's remediation. Read from PolicyChanged.settingsJson
 * ({@code {appIds, templateId?, settings}}).
 */
public record AppProtectionPolicy(
        StoredPolicy policy,
        List<String> appIds,
        boolean pinRequired,
        VersionLevels minimumOsVersion,
        VersionLevels minimumAppVersion,
        boolean jailbrokenWipes,
        boolean remediationEnabled,
        Duration remediationDeadline,
        Optional<String> disabledAccount,
        Optional<Duration> offlineGracePeriodBeforeAccessCheck,
        Optional<Duration> offlineGracePeriodBeforeWipe) {

    /** The conditional-launch action that blocks access (policy-service's JailbreakAction). */
    public static final String BLOCK_ACCESS = "BLOCK_ACCESS";
    /** The conditional-launch action that wipes the app's corporate data. */
    public static final String WIPE_DATA = "WIPE_DATA";

    /** Used when a policy enables remediation without saying for how long. */
    static final Duration DEFAULT_DEADLINE = Duration.ofHours(1);

    public static AppProtectionPolicy from(StoredPolicy policy) {
        JsonNode body = policy.settings();
        List<String> appIds = new ArrayList<>();
        body.path("appIds").forEach(app -> appIds.add(app.asText()));
        JsonNode settings = body.path("settings");
        JsonNode deadline = settings.get("remediationDeadline");
        return new AppProtectionPolicy(
                policy,
                List.copyOf(appIds),
                settings.path("pinRequired").asBoolean(false),
                VersionLevels.read(settings.get("minimumOsVersion")),
                VersionLevels.read(settings.get("minimumAppVersion")),
                WIPE_DATA.equals(settings.path("jailbrokenOrRooted").asText()),
                settings.path("remediationEnabled").asBoolean(false),
                deadline == null || deadline.isNull() ? DEFAULT_DEADLINE : Duration.parse(deadline.asText()),
                text(settings.get("disabledAccount")),
                text(settings.get("offlineGracePeriodBeforeAccessCheck")).map(Duration::parse),
                text(settings.get("offlineGracePeriodBeforeWipe")).map(Duration::parse));
    }

    /** Whether a disabled account breaks this policy, and with a wipe: {@code disabledAccount = WIPE_DATA}. */
    public boolean disabledAccountWipes() {
        return disabledAccount.filter(WIPE_DATA::equals).isPresent();
    }

    private static Optional<String> text(JsonNode node) {
        return node == null || node.isNull() || node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText());
    }

    public boolean protects(String appId, Platform platform) {
        return appIds.contains(appId) && policy.coversPlatform(platform);
    }

    public String policyId() {
        return policy.policyId();
    }
}
