package dev.bulwark.assignment.assignment;

import dev.bulwark.assignment.catalogue.AppDistribution;
import dev.bulwark.assignment.targeting.Intent;
import dev.bulwark.assignment.targeting.TargetLine;
import java.util.List;
import java.util.Optional;

/**
 * The management-model rules an assignment must meet before anything is written: on unmanaged devices only Available
 * is ever effective, and device targets, Required and Uninstall act on managed devices only. So an assignment that
 * could only ever act on unmanaged devices with Required or Uninstall, or a device target for an app that managed
 * devices cannot receive, is refused.
 */
public final class ManagementModel {

    /** Why an assignment is refused, naming the field at fault. */
    public record Refusal(String field, String detail) {}

    private ManagementModel() {}

    public static Optional<Refusal> check(AppDistribution distribution, Intent intent, List<TargetLine> targets) {
        if (distribution != AppDistribution.STORE_LINK_ONLY) {
            return Optional.empty();
        }
        if (intent.actsOnDevice()) {
            return Optional.of(new Refusal(
                    "intent",
                    intent + " acts on managed devices only, and this app is STORE_LINK_ONLY: the device management"
                            + " agent cannot install or remove it, so the assignment could only ever reach unmanaged"
                            + " devices, where only AVAILABLE (through the web Company Portal) is allowed."));
        }
        boolean deviceTarget =
                targets.stream().anyMatch(t -> !t.excluded() && !t.kind().isUserSide());
        if (deviceTarget) {
            return Optional.of(new Refusal(
                    "targets",
                    "Device targets act on managed devices only, and this STORE_LINK_ONLY app cannot be delivered to"
                            + " managed devices; assign it to users (ALL_LICENSED_USERS or a USER_GROUP) instead."));
        }
        return Optional.empty();
    }
}
