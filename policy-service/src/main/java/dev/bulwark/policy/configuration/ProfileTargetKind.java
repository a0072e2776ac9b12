package dev.bulwark.policy.configuration;

import dev.bulwark.policy.targeting.TargetKind;
import java.util.Optional;

/**
 * Who an include or exclude line of a configuration profile names: the four kinds every policy has, plus
 * {@link #DEVICE} — one managed device by id, which only configuration profiles accept.
 */
public enum ProfileTargetKind {
    ALL_USERS,
    ALL_DEVICES,
    USER_GROUP,
    DEVICE_GROUP,
    DEVICE;

    /** The shared targeting kind of this line; empty for {@link #DEVICE}. */
    public Optional<TargetKind> shared() {
        return this == DEVICE ? Optional.empty() : Optional.of(TargetKind.valueOf(name()));
    }
}
