package dev.bulwark.policy.configuration;

import java.time.Instant;
import java.util.List;

/** Every configuration profile delivered to (or refused on, or removed from) one managed device, with its status. */
public record DeviceProfilesView(String deviceId, boolean managed, List<Entry> profiles) {

    /**
     * One profile on the device. {@code version} is the version last sent (or in conflict), {@code reportedVersion}
     * the one the device last reported; {@code profileDeleted} when the profile no longer exists.
     */
    public record Entry(
            String profileId,
            String name,
            ProfileType type,
            ProfileStatus status,
            long version,
            Long reportedVersion,
            String reason,
            boolean profileDeleted,
            Instant updatedAt) {}
}
