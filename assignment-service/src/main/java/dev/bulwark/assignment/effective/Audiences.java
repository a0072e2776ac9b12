package dev.bulwark.assignment.effective;

import dev.bulwark.assignment.projection.ManagedDevice;
import dev.bulwark.assignment.projection.Projections;
import dev.bulwark.assignment.targeting.Audience;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds targeting audiences from the projections, in bulk: one query for licences, one per group kind, however many
 * devices are evaluated, so a fan-out to ten thousand devices costs three queries, not thirty thousand.
 */
@ApplicationScoped
public class Audiences {

    private final Projections projections;

    Audiences(Projections projections) {
        this.projections = projections;
    }

    /** The audience of each managed device, by deviceId. */
    public Map<String, Audience> ofManagedDevices(String tenantId, List<ManagedDevice> devices) {
        Set<String> users = new java.util.HashSet<>();
        Set<String> deviceIds = new java.util.HashSet<>();
        for (ManagedDevice device : devices) {
            users.add(device.userId());
            deviceIds.add(device.deviceId());
        }
        Set<String> licensed = projections.licensed(tenantId, users);
        Map<String, Set<String>> userGroups = projections.groupsOf(tenantId, Projections.USER_GROUP, users);
        Map<String, Set<String>> deviceGroups = projections.groupsOf(tenantId, Projections.DEVICE_GROUP, deviceIds);
        Map<String, Audience> audiences = new HashMap<>();
        for (ManagedDevice device : devices) {
            audiences.put(
                    device.deviceId(),
                    Audience.managedDevice(
                            licensed.contains(device.userId()),
                            userGroups.getOrDefault(device.userId(), Set.of()),
                            deviceGroups.getOrDefault(device.deviceId(), Set.of())));
        }
        return audiences;
    }

    /** A user's audience on unmanaged devices: user targets only. */
    public Audience ofUnmanagedUser(String tenantId, String userId) {
        return Audience.unmanagedUser(
                projections.licensed(tenantId, Set.of(userId)).contains(userId),
                projections
                        .groupsOf(tenantId, Projections.USER_GROUP, Set.of(userId))
                        .getOrDefault(userId, Set.of()));
    }
}
