package dev.bulwark.policy.protection;

import dev.bulwark.kit.validation.Limits;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.policy.templates.AppProtectionTemplate;
import dev.bulwark.rules.Version;
import dev.bulwark.rules.VersionFormatException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Optional;

/**
 * Refuses app protection settings that are impossible or contradict each other (negative periods, a wipe that comes
 * before the access check, a wipe level above the block level, a PIN shorter than the template it was made from), each
 * error naming its field as {@code settings.<name>}; a version text over {@code Limits.SHORT} (its documented
 * {@code maxLength}) makes the refusal a 400.
 */
public final class SettingsRules {

    static final int PIN_LENGTH_MIN = 4;
    static final int PIN_LENGTH_MAX = 16;
    static final int PIN_RESET_DAYS_MAX = 730;

    private SettingsRules() {}

    /** Adds an error for every broken rule; {@code template} is the one the policy was created from, if any. */
    public static void check(AppProtectionSettings s, Optional<AppProtectionTemplate> template, FieldErrors errors) {
        boolean complete = true;
        for (RecordComponent component : AppProtectionSettings.class.getRecordComponents()) {
            if (MostRestrictive.valueOf(s, component.getName()) == null) {
                errors.add(field(component.getName()), "is required");
                complete = false;
            }
        }
        if (!complete) {
            return;
        }
        errors.check(
                s.pinMinimumLength() < PIN_LENGTH_MIN || s.pinMinimumLength() > PIN_LENGTH_MAX,
                field("pinMinimumLength"),
                "must be between " + PIN_LENGTH_MIN + " and " + PIN_LENGTH_MAX + ", was " + s.pinMinimumLength());
        errors.check(
                s.maximumPinRetries() < 1,
                field("maximumPinRetries"),
                "must be at least 1, was " + s.maximumPinRetries());
        errors.check(
                s.pinResetAfterDays() < 0 || s.pinResetAfterDays() > PIN_RESET_DAYS_MAX,
                field("pinResetAfterDays"),
                "must be between 0 (never) and " + PIN_RESET_DAYS_MAX + ", was " + s.pinResetAfterDays());
        boolean checkPositive =
                positive(s.offlineGracePeriodBeforeAccessCheck(), "offlineGracePeriodBeforeAccessCheck", errors);
        boolean wipePositive = positive(s.offlineGracePeriodBeforeWipe(), "offlineGracePeriodBeforeWipe", errors);
        if (checkPositive
                && wipePositive
                && s.offlineGracePeriodBeforeWipe().compareTo(s.offlineGracePeriodBeforeAccessCheck()) < 0) {
            errors.add(
                    field("offlineGracePeriodBeforeWipe"),
                    "must not be shorter than offlineGracePeriodBeforeAccessCheck ("
                            + s.offlineGracePeriodBeforeAccessCheck() + "): work data would be wiped before access is"
                            + " even blocked, was " + s.offlineGracePeriodBeforeWipe());
        }
        positive(s.remediationDeadline(), "remediationDeadline", errors);
        levels(s.minimumOsVersion(), "minimumOsVersion", errors);
        levels(s.minimumAppVersion(), "minimumAppVersion", errors);
        template.ifPresent(t -> notWeakerThan(s, t, errors));
    }

    private static void notWeakerThan(AppProtectionSettings s, AppProtectionTemplate template, FieldErrors errors) {
        if (!errors.isEmpty()) {
            return; // comparing needs valid settings
        }
        AppProtectionSettings floor = AppProtectionSettings.of(template);
        for (String name : MostRestrictive.weakerThan(s, floor)) {
            errors.add(
                    field(name),
                    "is weaker than template " + template.id() + " (" + MostRestrictive.valueOf(floor, name) + "), was "
                            + MostRestrictive.valueOf(s, name));
        }
    }

    private static boolean positive(Duration d, String name, FieldErrors errors) {
        if (d.isNegative() || d.isZero()) {
            errors.add(field(name), "must be a positive period, was " + d);
            return false;
        }
        return true;
    }

    private static void levels(VersionLevels levels, String name, FieldErrors errors) {
        Optional<Version> warn = level(levels.warn(), name + ".warn", errors);
        Optional<Version> block = level(levels.block(), name + ".block", errors);
        Optional<Version> wipe = level(levels.wipe(), name + ".wipe", errors);
        if (block.isPresent() && warn.isPresent() && block.get().compareTo(warn.get()) > 0) {
            errors.add(
                    field(name + ".block"),
                    "must not be above " + name + ".warn (" + warn.get() + "): the warning could never show, was "
                            + block.get());
        }
        Optional<Version> milder = block.isPresent() ? block : warn;
        String milderName = block.isPresent() ? name + ".block" : name + ".warn";
        if (wipe.isPresent() && milder.isPresent() && wipe.get().compareTo(milder.get()) > 0) {
            errors.add(
                    field(name + ".wipe"),
                    "must not be above " + milderName + " (" + milder.get() + "): a version would be wiped before it"
                            + " is blocked, was " + wipe.get());
        }
    }

    private static Optional<Version> level(String text, String name, FieldErrors errors) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.length() > Limits.SHORT) {
            errors.tooLong(field(name), Limits.SHORT);
            return Optional.empty();
        }
        try {
            return Optional.of(Version.parse(text));
        } catch (VersionFormatException e) {
            errors.add(field(name), e.getMessage());
            return Optional.empty();
        }
    }

    private static String field(String name) {
        return "settings." + name;
    }
}
