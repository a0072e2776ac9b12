package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.rules.OsPlatform;
import java.time.Instant;
import java.util.List;

/** A configuration profile as the admin API shows it: complete settings, secrets only by reference. */
public record ConfigurationProfileView(
        String id,
        String name,
        OsPlatform platform,
        ProfileType type,
        long version,
        ObjectNode settings,
        List<ProfileTarget> targets,
        Instant createdAt,
        Instant updatedAt) {}
