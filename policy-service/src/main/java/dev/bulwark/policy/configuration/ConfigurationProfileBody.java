package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A profile's body as stored and as PolicyChanged.settingsJson carries it: the type, the complete settings (secrets
 * only by reference) and the lines that name single devices.
 */
public record ConfigurationProfileBody(ProfileType type, ObjectNode settings, List<DeviceTarget> deviceTargets) {}
