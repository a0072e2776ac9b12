package dev.bulwark.registry.managed;

import dev.bulwark.events.ConfigurationProfileState;

/** What became of a configuration profile on a device; the contract's UNKNOWN is for readers, never accepted. */
public enum ProfileState {
    APPLIED,
    FAILED,
    REMOVED;

    public ConfigurationProfileState toEvent() {
        return ConfigurationProfileState.valueOf(name());
    }
}
