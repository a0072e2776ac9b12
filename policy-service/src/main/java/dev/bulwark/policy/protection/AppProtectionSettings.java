package dev.bulwark.policy.protection;

import dev.bulwark.policy.templates.AppProtectionTemplate;
import dev.bulwark.policy.templates.AppProtectionTemplate.DataTransfer;
import dev.bulwark.policy.templates.AppProtectionTemplate.JailbreakAction;
import dev.bulwark.policy.templates.AppProtectionTemplate.PinCharacterSet;
import java.time.Duration;

/**
 * The settings of an app protection policy for one platform: access requirements (PIN), conditional launch (offline
 * periods, minimum versions, jailbreak, disabled account), data protection (transfer, clipboard, save-as, backup,
 * print, screen capture) and remediation. The same shape is the effective policy a protected app receives at sign-in.
 *
 * <p>Durations are ISO-8601 ({@code PT12H}, {@code P90D}). {@code pinResetAfterDays} 0 means the PIN never expires.
 */
public record AppProtectionSettings(
        Boolean pinRequired,
        PinCharacterSet pinCharacterSet,
        Integer pinMinimumLength,
        Boolean simplePinBlocked,
        Integer maximumPinRetries,
        PinRetriesExceeded afterMaximumPinRetries,
        Integer pinResetAfterDays,
        Duration offlineGracePeriodBeforeAccessCheck,
        Duration offlineGracePeriodBeforeWipe,
        VersionLevels minimumOsVersion,
        VersionLevels minimumAppVersion,
        JailbreakAction jailbrokenOrRooted,
        JailbreakAction disabledAccount,
        DataTransfer sendDataTo,
        DataTransfer receiveDataFrom,
        Clipboard clipboard,
        Boolean saveAsAllowed,
        Boolean backupAllowed,
        Boolean printAllowed,
        Boolean screenCaptureAllowed,
        Boolean remediationEnabled,
        Duration remediationDeadline) {

    /** What happens when the user enters a wrong PIN too often. */
    public enum PinRetriesExceeded {
        RESET_PIN,
        WIPE_DATA
    }

    /** Where work data copied in a protected app may be pasted. */
    public enum Clipboard {
        ANY_APP,
        POLICY_MANAGED_APPS,
        BLOCKED
    }

    /** The settings of a ready template; the settings a template does not fix take their mildest value. */
    public static AppProtectionSettings of(AppProtectionTemplate template) {
        return new AppProtectionSettings(
                template.pinRequired(),
                template.pinCharacterSet(),
                template.pinMinimumLength(),
                template.simplePinBlocked(),
                template.maximumPinRetries(),
                template.level() >= 3 ? PinRetriesExceeded.WIPE_DATA : PinRetriesExceeded.RESET_PIN,
                0,
                template.offlineGracePeriodBeforeAccessCheck(),
                template.offlineGracePeriodBeforeWipe(),
                VersionLevels.NONE,
                VersionLevels.NONE,
                template.jailbrokenOrRooted(),
                template.level() >= 3 ? JailbreakAction.WIPE_DATA : JailbreakAction.BLOCK_ACCESS,
                template.sendDataTo(),
                template.sendDataTo(),
                template.clipboardToOtherApps() ? Clipboard.ANY_APP : Clipboard.POLICY_MANAGED_APPS,
                template.saveAsAllowed(),
                template.backupAllowed(),
                template.printAllowed(),
                template.screenCaptureAllowed(),
                template.remediationEnabled(),
                template.remediationDeadline());
    }
}
