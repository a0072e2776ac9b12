package dev.bulwark.registry.unmanaged;

import dev.bulwark.events.ManagementType;

/** MANAGED = the app runs on an enrolled device; UNMANAGED = only the user's identity is known (MAM without MDM). */
public enum InstanceManagement {
    MANAGED,
    UNMANAGED;

    public ManagementType toEvent() {
        return ManagementType.valueOf(name());
    }
}
