package dev.bulwark.policy.compliance;

import dev.bulwark.policy.targeting.Target;
import dev.bulwark.rules.OsPlatform;
import java.time.Instant;
import java.util.List;

/** A device compliance policy as the admin API shows it. */
public record CompliancePolicyView(
        String id,
        String name,
        OsPlatform platform,
        long version,
        ComplianceRules rules,
        List<ScheduledAction> actions,
        List<Target> targets,
        Instant createdAt,
        Instant updatedAt) {}
