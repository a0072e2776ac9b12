package dev.bulwark.assignment.targeting;

import java.util.Set;

/**
 * What targeting needs to know about a subject: its user's licence and groups and, for a managed device, the device
 * groups it is in. An unmanaged app instance has no device side.
 */
public record Audience(boolean managedDevice, boolean userLicensed, Set<String> userGroups, Set<String> deviceGroups) {

    public Audience {
        userGroups = Set.copyOf(userGroups);
        deviceGroups = Set.copyOf(deviceGroups);
    }

    public static Audience managedDevice(boolean userLicensed, Set<String> userGroups, Set<String> deviceGroups) {
        return new Audience(true, userLicensed, userGroups, deviceGroups);
    }

    public static Audience unmanagedUser(boolean userLicensed, Set<String> userGroups) {
        return new Audience(false, userLicensed, userGroups, Set.of());
    }
}
