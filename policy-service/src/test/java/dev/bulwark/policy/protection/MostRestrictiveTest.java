package dev.bulwark.policy.protection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.policy.templates.AppProtectionTemplates;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MostRestrictiveTest {

    private static final AppProtectionSettings L1 = AppProtectionSettings.of(
            AppProtectionTemplates.byId("level-1-basic").orElseThrow());
    private static final AppProtectionSettings L3 =
            AppProtectionSettings.of(AppProtectionTemplates.byId("level-3-high").orElseThrow());

    @Test
    void mergingWithAStricterPolicyGivesTheStricterPolicy() {
        assertThat(MostRestrictive.merge(L1, L3)).isEqualTo(L3);
        assertThat(MostRestrictive.merge(L3, L1)).isEqualTo(L3);
    }

    @Test
    void eachSettingTakesItsStricterValueIndependently() {
        AppProtectionSettings a = with(L1, 8, 10, true, "13", null, 0, Duration.ofHours(1));
        AppProtectionSettings b = with(L1, 4, 3, false, "14", "12", 30, Duration.ofHours(8));
        AppProtectionSettings merged = MostRestrictive.merge(a, b);
        assertThat(merged.pinMinimumLength()).isEqualTo(8);
        assertThat(merged.maximumPinRetries()).isEqualTo(3);
        assertThat(merged.backupAllowed()).isFalse();
        assertThat(merged.minimumOsVersion()).isEqualTo(new VersionLevels(null, "14", "12"));
        assertThat(merged.pinResetAfterDays()).isEqualTo(30);
        assertThat(merged.remediationDeadline()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theWeakerSettingsThanATemplateAreNamed() {
        AppProtectionSettings weaker = with(L3, 4, 5, false, null, null, 0, L3.remediationDeadline());
        assertThat(MostRestrictive.weakerThan(weaker, L3)).containsExactly("pinMinimumLength");
        assertThat(MostRestrictive.weakerThan(L3, L3)).isEmpty();
    }

    @Test
    void everyTemplateIsValidAgainstItself() {
        for (var template : AppProtectionTemplates.all()) {
            FieldErrors errors = new FieldErrors();
            SettingsRules.check(AppProtectionSettings.of(template), Optional.of(template), errors);
            assertThat(errors.list()).as(template.id()).isEmpty();
        }
    }

    @Test
    void versionLevelsMustNotWipeAboveTheBlockLevel() {
        FieldErrors errors = new FieldErrors();
        SettingsRules.check(with(L1, 4, 10, true, "14", "15", 0, Duration.ofHours(1)), Optional.empty(), errors);
        assertThat(errors.list()).extracting(e -> e.field()).containsExactly("settings.minimumOsVersion.wipe");
    }

    private static AppProtectionSettings with(
            AppProtectionSettings s,
            int pinLength,
            int retries,
            boolean backup,
            String blockOs,
            String wipeOs,
            int resetDays,
            Duration deadline) {
        return new AppProtectionSettings(
                s.pinRequired(),
                s.pinCharacterSet(),
                pinLength,
                s.simplePinBlocked(),
                retries,
                s.afterMaximumPinRetries(),
                resetDays,
                s.offlineGracePeriodBeforeAccessCheck(),
                s.offlineGracePeriodBeforeWipe(),
                new VersionLevels(null, blockOs, wipeOs),
                s.minimumAppVersion(),
                s.jailbrokenOrRooted(),
                s.disabledAccount(),
                s.sendDataTo(),
                s.receiveDataFrom(),
                s.clipboard(),
                s.saveAsAllowed(),
                backup,
                s.printAllowed(),
                s.screenCaptureAllowed(),
                s.remediationEnabled(),
                deadline);
    }
}
