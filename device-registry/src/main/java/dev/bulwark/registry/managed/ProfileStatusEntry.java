package dev.bulwark.registry.managed;

import dev.bulwark.events.ConfigurationProfileStatus;

/**
 * A configuration profile's outcome as a device reported it at check-in. Like a wipe result it is carried in that
 * check-in's DeviceStateReported for policy-service, which owns the profiles and their status; it is not stored here.
 */
public record ProfileStatusEntry(String profileId, long version, ProfileState state, String reason) {

    ConfigurationProfileStatus toEvent() {
        return ConfigurationProfileStatus.newBuilder()
                .setProfileId(profileId)
                .setVersion(version)
                .setState(state.toEvent())
                .setReason(reason)
                .build();
    }
}
