package dev.bulwark.rules;

/**
 * The operating systems a managed device, an app instance, a catalogue app or a device policy is for — one enum for
 * every service. Each name is a symbol of the event contract's {@code Platform}, whose extra {@code UNKNOWN} is for
 * readers and never accepted from a request.
 */
public enum OsPlatform {
    ANDROID,
    IOS,
    WINDOWS,
    MACOS
}
