package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.policy.targeting.Target;
import jakarta.validation.constraints.Size;

/**
 * One include or exclude line of a configuration profile: all users (their managed devices), all managed devices, a
 * user group (its members' managed devices), a device group, or one managed device ({@code deviceId}). Exclusion wins
 * over inclusion within the same kind: user lines against user lines, device and device-group lines against each other.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileTarget(
        ProfileTargetKind kind,
        @Size(max = Limits.ID) String groupId,
        @Size(max = Limits.ID) String deviceId,
        boolean excluded) {

    static ProfileTarget of(Target target) {
        return new ProfileTarget(
                ProfileTargetKind.valueOf(target.kind().name()), target.groupId(), null, target.excluded());
    }

    static ProfileTarget of(DeviceTarget target) {
        return new ProfileTarget(ProfileTargetKind.DEVICE, null, target.deviceId(), target.excluded());
    }
}
