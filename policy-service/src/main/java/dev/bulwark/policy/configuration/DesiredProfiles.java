package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.policy.devices.ManagedDevice;
import dev.bulwark.rules.Targeting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which profiles a managed device should hold, and with which settings (plain Java, no I/O).
 *
 * <p>A profile reaches a device when the platforms match and either its user lines name the device's primary user
 * (all users, or a user group of theirs, and no excluded user group of theirs) or its device lines name the device (all
 * devices, one of its device groups, or the device itself, and no excluded device group or device line). Exclusion
 * wins only within its own kind, as for every policy.
 *
 * <p>Password profiles that reach the device are merged most restrictive wins, and each is applied with the merged
 * settings. Two profiles of another type that configure the same thing (same Wi-Fi SSID; same VPN connection name or
 * server; same email address) with different settings conflict: neither is applied on that device.
 */
final class DesiredProfiles {

    /** What the device should hold of one profile: {@code payload} to apply, or a {@code conflict} reason. */
    record Desired(ProfileDefinition profile, ObjectNode payload, String conflict) {
        boolean conflicted() {
            return conflict != null;
        }
    }

    private DesiredProfiles() {}

    /**
     * Whether {@code profile} reaches {@code device}, whose user is in {@code userGroups}: through the user's lines, or
     * through the device's own — its groups' lines and the lines naming the device itself, where an exclusion among
     * either wins ({@code rules.Targeting}).
     */
    static boolean reaches(
            ProfileDefinition profile, ManagedDevice device, Set<String> userGroups, Set<String> deviceGroups) {
        if (!profile.platform().equals(device.platform())) {
            return false;
        }
        return Targeting.reachesUser(profile.groupTargets(), userGroups)
                || Targeting.deviceLines(profile.groupTargets(), deviceGroups)
                                .and(namedDevice(profile, device.deviceId()))
                        == Targeting.Reach.INCLUDED;
    }

    /** What the lines naming single devices say of {@code deviceId}. */
    private static Targeting.Reach namedDevice(ProfileDefinition profile, String deviceId) {
        Targeting.Reach reach = Targeting.Reach.NOT_NAMED;
        for (DeviceTarget target : profile.deviceTargets()) {
            if (target.deviceId().equals(deviceId)) {
                if (target.excluded()) {
                    return Targeting.Reach.EXCLUDED;
                }
                reach = Targeting.Reach.INCLUDED;
            }
        }
        return reach;
    }

    /** The device's desired profiles, by profile id. */
    static Map<String, Desired> of(
            ManagedDevice device, Set<String> userGroups, Set<String> deviceGroups, List<ProfileDefinition> all) {
        List<ProfileDefinition> reaching = all.stream()
                .filter(p -> reaches(p, device, userGroups, deviceGroups))
                .toList();
        Map<String, Desired> desired = new LinkedHashMap<>();
        List<ProfileDefinition> passwords =
                reaching.stream().filter(p -> p.type() == ProfileType.PASSWORD).toList();
        if (!passwords.isEmpty()) {
            ObjectNode merged = PasswordMerge.merge(
                    passwords.stream().map(ProfileDefinition::settings).toList());
            passwords.forEach(p -> desired.put(p.id(), new Desired(p, merged, null)));
        }
        Map<String, List<ProfileDefinition>> byKey = new TreeMap<>();
        for (ProfileDefinition p : reaching) {
            if (p.type() != ProfileType.PASSWORD) {
                keys(p).forEach(key ->
                        byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(p));
            }
        }
        Map<String, String> conflicts = new LinkedHashMap<>();
        byKey.forEach((key, profiles) -> {
            boolean differ = profiles.stream()
                            .map(ProfileDefinition::settings)
                            .distinct()
                            .count()
                    > 1;
            if (profiles.size() > 1 && differ) {
                for (ProfileDefinition p : profiles) {
                    List<String> others = profiles.stream()
                            .filter(o -> !o.id().equals(p.id()))
                            .map(o -> "'" + o.name() + "' (" + o.id() + ")")
                            .toList();
                    conflicts.putIfAbsent(
                            p.id(),
                            "conflicts on this device with " + String.join(", ", others) + ": same " + describe(key)
                                    + " with different settings");
                }
            }
        });
        for (ProfileDefinition p : reaching) {
            if (p.type() != ProfileType.PASSWORD) {
                String conflict = conflicts.get(p.id());
                desired.put(p.id(), new Desired(p, conflict == null ? p.settings() : null, conflict));
            }
        }
        return desired;
    }

    /** What a profile configures, as keys two profiles of the same type collide on. */
    private static List<String> keys(ProfileDefinition p) {
        ObjectNode s = p.settings();
        return switch (p.type()) {
            case WIFI -> List.of("WIFI|SSID '" + s.path("ssid").asText() + "'");
            case VPN -> List.of(
                    "VPN|VPN connection name '"
                            + s.path("connectionName").asText().toLowerCase(Locale.ROOT) + "'",
                    "VPN|VPN server '" + s.path("server").asText().toLowerCase(Locale.ROOT) + "'");
            case EMAIL -> List.of(
                    "EMAIL|email account '" + s.path("emailAddress").asText().toLowerCase(Locale.ROOT) + "'");
            case PASSWORD -> List.of();
        };
    }

    private static String describe(String key) {
        return key.substring(key.indexOf('|') + 1);
    }
}
