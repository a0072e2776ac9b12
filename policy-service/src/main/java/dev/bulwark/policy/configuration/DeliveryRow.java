package dev.bulwark.policy.configuration;

import java.time.Instant;

/** One device x profile: what was last sent (version, exact settings, command) and its status. */
record DeliveryRow(
        String deviceId,
        String profileId,
        ProfileType profileType,
        ProfileStatus status,
        long deliveredVersion,
        String deliveredSettings,
        Long reportedVersion,
        String reason,
        String commandId,
        Instant reportedAt,
        Instant updatedAt) {}
