package dev.bulwark.compliance.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyKind;
import java.util.List;
import java.util.Optional;

/**
 * A live policy of policy-service as this service keeps it: kind, platform (empty = every platform), targets, and its
 * settings body ({@code PolicyChanged.settingsJson}), which each path reads in its own terms.
 */
public record StoredPolicy(
        String policyId,
        PolicyKind kind,
        String name,
        long version,
        Optional<Platform> platform,
        List<PolicyTarget> targets,
        JsonNode settings) {

    public StoredPolicy {
        targets = List.copyOf(targets);
    }

    public boolean coversPlatform(Platform subjectPlatform) {
        return platform.map(p -> p == subjectPlatform).orElse(true);
    }
}
