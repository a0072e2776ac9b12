package dev.bulwark.policy.protection;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.policy.targeting.Target;
import java.time.Instant;
import java.util.List;

/** An app protection policy as the admin API shows it, with its complete settings and current version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppProtectionPolicyView(
        String id,
        String name,
        ProtectedPlatform platform,
        long version,
        List<String> appIds,
        String templateId,
        AppProtectionSettings settings,
        List<Target> targets,
        Instant createdAt,
        Instant updatedAt) {}
