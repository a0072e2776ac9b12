package dev.bulwark.policy.configuration;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where one profile stands on the devices it was delivered to: counts by status and the devices in each. */
public record ProfileStatusView(
        String profileId,
        String name,
        long version,
        Map<ProfileStatus, Long> counts,
        Map<ProfileStatus, List<DeviceEntry>> devices) {

    /** One device's row for this profile. */
    public record DeviceEntry(
            String deviceId, long deliveredVersion, Long reportedVersion, String reason, Instant updatedAt) {}
}
