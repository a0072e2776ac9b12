package dev.bulwark.assignment.catalogue;

/** The platforms an app in the catalogue can be built for. */
public enum AppPlatform {
    ANDROID,
    IOS,
    WINDOWS,
    MACOS
}
