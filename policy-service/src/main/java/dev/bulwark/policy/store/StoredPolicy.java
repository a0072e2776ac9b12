package dev.bulwark.policy.store;

import dev.bulwark.policy.targeting.Target;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A policy as stored: its identity, version, targets and body (JSON in the REST shape of its kind). Deleted policies
 * remain as tombstones with a higher version, so every replica's cache learns of the deletion.
 */
public record StoredPolicy(
        String id,
        String tenantId,
        PolicyKind kind,
        String name,
        Optional<String> platform,
        long version,
        List<Target> targets,
        String body,
        boolean deleted,
        Instant createdAt,
        Instant updatedAt) {}
