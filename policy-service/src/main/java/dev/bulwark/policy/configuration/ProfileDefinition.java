package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.policy.targeting.Target;
import java.util.List;

/** A live configuration profile as delivery needs it: identity, version, platform, type, settings and targets. */
record ProfileDefinition(
        String id,
        String name,
        long version,
        String platform,
        ProfileType type,
        ObjectNode settings,
        List<Target> groupTargets,
        List<DeviceTarget> deviceTargets) {}
