package dev.bulwark.policy.configuration;

import dev.bulwark.policy.devices.AppInstanceRow;
import dev.bulwark.policy.devices.ManagedDevice;
import dev.bulwark.policy.devices.ManagedDevices;
import dev.bulwark.policy.directory.DirectoryState;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.policy.targeting.Target;
import dev.bulwark.policy.targeting.TargetKind;
import dev.bulwark.policy.targeting.TargetRules;
import dev.bulwark.rules.OsPlatform;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a profile's targets. Group and "all" lines follow the rules every policy follows ({@link TargetRules}). A
 * {@code DEVICE} line must name a managed device enrolled in this tenant, not retired, of the profile's platform: a
 * profile never reaches an unmanaged device, so naming an app instance (a registrationId, MAM) or an id no enrollment
 * produced is refused, with the reason.
 */
@ApplicationScoped
class ProfileTargetRules {

    private static final Pattern INDEX = Pattern.compile("targets\\[(\\d+)\\]");

    private final DirectoryState directory;
    private final ManagedDevices devices;

    ProfileTargetRules(DirectoryState directory, ManagedDevices devices) {
        this.directory = directory;
        this.devices = devices;
    }

    /** The checked lines: those of the shared kinds, and those naming single devices. */
    record Split(List<Target> groupTargets, List<DeviceTarget> deviceTargets) {}

    Split check(String tenantId, OsPlatform platform, List<ProfileTarget> targets, FieldErrors errors) {
        List<Target> shared = new ArrayList<>();
        List<Integer> sharedIndex = new ArrayList<>();
        List<DeviceTarget> single = new ArrayList<>();
        Map<String, Integer> seenDevices = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            ProfileTarget target = targets.get(i);
            String at = "targets[" + i + "]";
            if (target == null || target.kind() == null) {
                errors.add(at + ".kind", "must be one of " + List.of(ProfileTargetKind.values()));
                continue;
            }
            Optional<TargetKind> kind = target.kind().shared();
            if (kind.isPresent()) {
                errors.check(target.deviceId() != null, at + ".deviceId", "is only for DEVICE lines");
                shared.add(new Target(kind.get(), target.groupId(), target.excluded()));
                sharedIndex.add(i);
                continue;
            }
            errors.check(target.groupId() != null, at + ".groupId", "must be absent for DEVICE");
            if (target.deviceId() == null || target.deviceId().isBlank()) {
                errors.add(at + ".deviceId", "is required for DEVICE");
                continue;
            }
            Integer earlier = seenDevices.putIfAbsent(target.deviceId(), i);
            if (earlier != null) {
                errors.add(
                        at + ".deviceId",
                        "device '" + target.deviceId() + "' is listed twice (targets[" + earlier + "])");
                continue;
            }
            device(tenantId, platform, target.deviceId(), at + ".deviceId", errors);
            single.add(new DeviceTarget(target.deviceId(), target.excluded()));
        }
        FieldErrors sharedErrors = new FieldErrors();
        TargetRules.check(
                shared, EnumSet.allOf(TargetKind.class), group -> directory.groupKind(tenantId, group), sharedErrors);
        sharedErrors
                .list()
                .forEach(e -> errors.add(renumber(e.field(), sharedIndex), renumber(e.message(), sharedIndex)));
        return new Split(List.copyOf(shared), List.copyOf(single));
    }

    private void device(String tenantId, OsPlatform platform, String deviceId, String field, FieldErrors errors) {
        Optional<ManagedDevice> device = devices.find(tenantId, deviceId);
        if (device.isPresent() && !device.get().retired()) {
            errors.check(
                    !device.get().platform().equals(platform.name()),
                    field,
                    "device '" + deviceId + "' is a " + device.get().platform() + " device; this profile is for "
                            + platform);
            return;
        }
        if (device.isPresent()) {
            errors.add(
                    field,
                    "device '" + deviceId + "' was retired: it is no longer managed and cannot receive"
                            + " configuration profiles");
            return;
        }
        Optional<AppInstanceRow> instance = devices.appInstance(tenantId, deviceId);
        if (instance.isPresent()) {
            errors.add(
                    field,
                    "'" + deviceId + "' is an app instance (registrationId) of user '"
                            + instance.get().userId()
                            + "', not a managed device: configuration profiles reach enrolled (managed) devices only"
                            + instance.get()
                                    .deviceId()
                                    .map(d -> "; the app runs on managed device '" + d + "', target that device")
                                    .orElse("; the app runs on an unmanaged device, which cannot be targeted"));
            return;
        }
        errors.add(
                field,
                "'" + deviceId + "' is not an enrolled managed device of this tenant: configuration profiles reach"
                        + " managed devices only");
    }

    /** Rewrites "targets[j]" of the shared lines' list into the index the admin wrote. */
    private static String renumber(String text, List<Integer> index) {
        Matcher m = INDEX.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int j = Integer.parseInt(m.group(1));
            m.appendReplacement(out, "targets[" + (j < index.size() ? index.get(j) : j) + "]");
        }
        m.appendTail(out);
        return out.toString();
    }
}
