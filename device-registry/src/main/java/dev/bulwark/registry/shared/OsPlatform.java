package dev.bulwark.registry.shared;

import dev.bulwark.events.Platform;

/** The operating systems a device or an app instance runs on; the contract's UNKNOWN is for readers, never accepted. */
public enum OsPlatform {
    ANDROID,
    IOS,
    WINDOWS,
    MACOS;

    public Platform toEvent() {
        return Platform.valueOf(name());
    }
}
