package dev.bulwark.policy.signin;

import dev.bulwark.policy.protection.AppProtectionSettings;
import dev.bulwark.policy.templates.AppProtectionTemplate.PinCharacterSet;
import java.util.ArrayList;
import java.util.List;

/** The sentences a protected app shows at sign-in, built from the effective policy. */
final class UserMessages {

    static final String SIGN_BACK_IN = "Your organization's policy requires you to sign back in.";

    private UserMessages() {}

    /** First sign-in: the device state as the policy sees it, and the request to set a PIN. */
    static String setPin(AppProtectionSettings policy) {
        return "Your organization is now protecting its data in this app. " + deviceState(policy) + " Set "
                + pinShape(policy) + " to access your work account.";
    }

    /** The PIN set earlier no longer meets the policy. */
    static String setNewPin(AppProtectionSettings policy) {
        return "Your organization now requires " + pinShape(policy) + ". Set a new PIN to access your work account.";
    }

    static String enterPin() {
        return "Enter your PIN to access your work account.";
    }

    static String protectedWithoutPin(AppProtectionSettings policy) {
        return "Your organization is protecting its data in this app. " + deviceState(policy);
    }

    static String notTargeted() {
        return "Your organization does not protect its data in this app for your account; no app protection rules"
                + " apply.";
    }

    static String unlicensed(java.time.Duration checkAgain) {
        return "Your account is not licensed for app protection, so your organization's app protection rules are not"
                + " applied. This app will check again in " + checkAgain.toHours() + " hours.";
    }

    static String signedOut(String fromCompliance) {
        if (fromCompliance == null || fromCompliance.isBlank()) {
            return SIGN_BACK_IN + " Your account is not compliant with your organization's policy.";
        }
        return fromCompliance.toLowerCase().contains("sign back in")
                ? fromCompliance
                : SIGN_BACK_IN + " " + fromCompliance;
    }

    /** "a 6-digit PIN" / "a PIN of at least 6 characters". */
    static String pinShape(AppProtectionSettings policy) {
        boolean digits = policy.pinCharacterSet() == PinCharacterSet.NUMERIC;
        String shape = digits
                ? "a " + policy.pinMinimumLength() + "-digit PIN"
                : "a passcode of at least " + policy.pinMinimumLength() + " characters";
        return policy.simplePinBlocked()
                ? shape + " (no repeating or sequential " + (digits ? "digits" : "characters") + ")"
                : shape;
    }

    /** What the policy does to work data on this device, in a sentence. */
    static String deviceState(AppProtectionSettings policy) {
        List<String> facts = new ArrayList<>();
        facts.add(
                switch (policy.sendDataTo()) {
                    case ALL_APPS -> "work data can be shared with other apps";
                    case POLICY_MANAGED_APPS -> "work data can be shared only with apps your organization manages";
                    case NONE -> "work data cannot leave this app";
                });
        List<String> blocked = new ArrayList<>();
        if (!policy.backupAllowed()) {
            blocked.add("backup");
        }
        if (!policy.printAllowed()) {
            blocked.add("printing");
        }
        if (!policy.screenCaptureAllowed()) {
            blocked.add("screen capture");
        }
        if (!policy.saveAsAllowed()) {
            blocked.add("saving copies");
        }
        if (!blocked.isEmpty()) {
            facts.add(String.join(", ", blocked) + (blocked.size() == 1 ? " is" : " are") + " turned off");
        }
        facts.add("access is checked again after " + hours(policy.offlineGracePeriodBeforeAccessCheck()) + " offline");
        String sentence = String.join("; ", facts);
        return "On this device, " + sentence + ".";
    }

    private static String hours(java.time.Duration d) {
        if (d.toMinutes() < 120) {
            return d.toMinutes() + " minutes";
        }
        return d.toHours() + " hours";
    }
}
