package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.rules.Violations;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.SignOutReason;
import java.util.List;

/** The sentences a user sees when their device or app account is signed out or blocked. */
public final class UserMessages {

    static final String SIGN_BACK_IN = "Your organization's policy requires you to sign back in.";

    private UserMessages() {}

    /** What the app shows with a SignOutRequired. */
    public static String signOut(ManagementType path, SignOutReason reason, List<Violation> violations) {
        if (reason == SignOutReason.DEVICE_RETIRED) {
            return SIGN_BACK_IN + " This device is no longer managed by your organization.";
        }
        if (reason == SignOutReason.ACCOUNT_DISABLED) {
            return SIGN_BACK_IN + " Your work account is disabled; your organization's data was removed from this app.";
        }
        if (reason == SignOutReason.OFFLINE_TOO_LONG) {
            return SIGN_BACK_IN + " This app has not connected for longer than your organization allows; its work"
                    + " data was removed.";
        }
        return SIGN_BACK_IN + " " + notCompliant(path, violations);
    }

    /** "Your device is not compliant: ..." (managed) or "Your account in this app is not compliant: ..." (unmanaged). */
    public static String notCompliant(ManagementType path, List<Violation> violations) {
        String subject = path == ManagementType.UNMANAGED ? "Your account in this app" : "Your device";
        if (violations.isEmpty()) {
            return subject + " is not compliant.";
        }
        return subject + " is not compliant: " + Violations.summaries(violations) + ".";
    }
}
