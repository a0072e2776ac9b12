package dev.bulwark.policy.devices;

import java.util.Optional;

/**
 * An app instance registered for a user's identity (MAM). Kept only to tell an admin who names one as a configuration
 * profile target why that is refused, and which managed device (if any) the app runs on.
 */
public record AppInstanceRow(String registrationId, String userId, Optional<String> deviceId, String managementType) {}
