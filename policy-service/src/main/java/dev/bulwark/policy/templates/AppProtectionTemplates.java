package dev.bulwark.policy.templates;

import dev.bulwark.policy.templates.AppProtectionTemplate.DataTransfer;
import dev.bulwark.policy.templates.AppProtectionTemplate.JailbreakAction;
import dev.bulwark.policy.templates.AppProtectionTemplate.PinCharacterSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The catalogue of ready app protection templates, one per data protection level. */
public final class AppProtectionTemplates {

    private static final List<AppProtectionTemplate> ALL = List.of(
            new AppProtectionTemplate(
                    "level-1-basic",
                    DataProtectionLevel.BASIC.number(),
                    "Level 1 — basic data protection",
                    "Minimum data protection for any device that reaches work data: a PIN, encrypted app data,"
                            + " selective wipe and a block on jailbroken or rooted devices.",
                    true,
                    PinCharacterSet.NUMERIC,
                    4,
                    false,
                    10,
                    Duration.ofMinutes(720),
                    Duration.ofDays(90),
                    JailbreakAction.BLOCK_ACCESS,
                    true,
                    DataTransfer.ALL_APPS,
                    true,
                    true,
                    true,
                    true,
                    true,
                    Duration.ofHours(24),
                    List.of("Apply this first: it is step 1 of managing protected apps.")),
            new AppProtectionTemplate(
                    "level-2-enhanced",
                    DataProtectionLevel.ENHANCED.number(),
                    "Level 2 — enhanced data protection",
                    "For users who reach sensitive information: data stays in policy-managed apps, no backups,"
                            + " no printing or screen capture of work data.",
                    true,
                    PinCharacterSet.NUMERIC,
                    6,
                    false,
                    5,
                    Duration.ofMinutes(720),
                    Duration.ofDays(90),
                    JailbreakAction.BLOCK_ACCESS,
                    false,
                    DataTransfer.POLICY_MANAGED_APPS,
                    false,
                    false,
                    false,
                    false,
                    true,
                    Duration.ofHours(8),
                    List.of()),
            new AppProtectionTemplate(
                    "level-3-high",
                    DataProtectionLevel.HIGH.number(),
                    "Level 3 — high data protection",
                    "For users who reach the most sensitive data: simple PINs blocked, a PIN of at least 6 digits,"
                            + " and a jailbroken or rooted device loses its work data.",
                    true,
                    PinCharacterSet.NUMERIC,
                    6,
                    true,
                    5,
                    Duration.ofMinutes(30),
                    Duration.ofDays(90),
                    JailbreakAction.WIPE_DATA,
                    false,
                    DataTransfer.POLICY_MANAGED_APPS,
                    false,
                    false,
                    false,
                    false,
                    true,
                    Duration.ofHours(1),
                    List.of()));

    private AppProtectionTemplates() {}

    public static List<AppProtectionTemplate> all() {
        return ALL;
    }

    public static Optional<AppProtectionTemplate> byId(String id) {
        return ALL.stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
