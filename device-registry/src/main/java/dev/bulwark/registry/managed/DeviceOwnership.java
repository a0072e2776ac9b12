package dev.bulwark.registry.managed;

import dev.bulwark.events.Ownership;

/** Who owns an enrolled device; corporate devices may be managed more strictly than personal ones. */
public enum DeviceOwnership {
    CORPORATE,
    PERSONAL;

    public Ownership toEvent() {
        return Ownership.valueOf(name());
    }
}
