package dev.bulwark.registry.managed;

/** One managed app a device reported as installed, with its version. */
public record InstalledAppEntry(String appId, String version) {}
