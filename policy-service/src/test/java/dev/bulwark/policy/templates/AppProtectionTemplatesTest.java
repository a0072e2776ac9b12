package dev.bulwark.policy.templates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppProtectionTemplatesTest {

    @Test
    void eachLevelIsAtLeastAsStrictAsTheOneBelowIt() {
        List<AppProtectionTemplate> all = AppProtectionTemplates.all();
        for (int i = 1; i < all.size(); i++) {
            AppProtectionTemplate lower = all.get(i - 1);
            AppProtectionTemplate higher = all.get(i);
            assertThat(higher.level()).isGreaterThan(lower.level());
            assertThat(higher.pinMinimumLength()).isGreaterThanOrEqualTo(lower.pinMinimumLength());
            assertThat(higher.maximumPinRetries()).isLessThanOrEqualTo(lower.maximumPinRetries());
            assertThat(higher.offlineGracePeriodBeforeAccessCheck())
                    .isLessThanOrEqualTo(lower.offlineGracePeriodBeforeAccessCheck());
            assertThat(higher.remediationDeadline()).isLessThanOrEqualTo(lower.remediationDeadline());
            assertThat(!higher.simplePinBlocked() && lower.simplePinBlocked()).isFalse();
            assertThat(higher.backupAllowed() && !lower.backupAllowed()).isFalse();
            assertThat(higher.printAllowed() && !lower.printAllowed()).isFalse();
        }
    }

    @Test
    void levelThreeIsTheFrameworksHighLevel() {
        AppProtectionTemplate high = AppProtectionTemplates.byId("level-3-high").orElseThrow();
        assertThat(high.simplePinBlocked()).isTrue();
        assertThat(high.pinMinimumLength()).isEqualTo(6);
        assertThat(high.jailbrokenOrRooted()).isEqualTo(AppProtectionTemplate.JailbreakAction.WIPE_DATA);
    }
}
