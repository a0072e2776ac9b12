package dev.bulwark.registry.groups;

import dev.bulwark.events.GroupKind;

/** What a group holds: users or enrolled devices. Targeting never mixes the two, so neither does a group. */
public enum GroupType {
    USER,
    DEVICE;

    public GroupKind toEvent() {
        return GroupKind.valueOf(name());
    }
}
