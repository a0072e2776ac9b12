package dev.bulwark.policy.templates;

import java.time.Duration;
import java.util.List;

/**
 * A ready-made set of app protection settings for one data protection level. Each level only ever tightens the one
 * below it; {@link AppProtectionTemplates} checks that.
 */
public record AppProtectionTemplate(
        String id,
        int level,
        String name,
        String description,
        boolean pinRequired,
        PinCharacterSet pinCharacterSet,
        int pinMinimumLength,
        boolean simplePinBlocked,
        int maximumPinRetries,
        Duration offlineGracePeriodBeforeAccessCheck,
        Duration offlineGracePeriodBeforeWipe,
        JailbreakAction jailbrokenOrRooted,
        boolean backupAllowed,
        DataTransfer sendDataTo,
        boolean clipboardToOtherApps,
        boolean saveAsAllowed,
        boolean printAllowed,
        boolean screenCaptureAllowed,
        boolean remediationEnabled,
        Duration remediationDeadline,
        List<String> notes) {

    /** Which characters a PIN may use. */
    public enum PinCharacterSet {
        NUMERIC,
        PASSCODE
    }

    /** What conditional launch does on a jailbroken or rooted device. */
    public enum JailbreakAction {
        BLOCK_ACCESS,
        WIPE_DATA
    }

    /** Where a protected app may send corporate data. */
    public enum DataTransfer {
        ALL_APPS,
        POLICY_MANAGED_APPS,
        NONE
    }
}
