package dev.bulwark.assignment.managed;

import java.util.Optional;

/**
 * One app on one managed device: the version it last reported, whether this service installed it (only then may it be
 * uninstalled or updated), and the command still outstanding.
 */
public record DeviceAppState(
        String deviceId,
        String appId,
        Optional<String> installedVersion,
        boolean installedByService,
        Optional<String> pendingCommand,
        Optional<String> pendingVersion) {

    static final String INSTALL = "INSTALL";
    static final String UPDATE = "UPDATE";
    static final String UNINSTALL = "UNINSTALL";

    public static DeviceAppState absent(String deviceId, String appId) {
        return new DeviceAppState(deviceId, appId, Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    public InstallState state() {
        if (pendingCommand.isPresent()) {
            return switch (pendingCommand.get()) {
                case INSTALL -> InstallState.INSTALL_PENDING;
                case UPDATE -> InstallState.UPDATE_PENDING;
                default -> InstallState.UNINSTALL_PENDING;
            };
        }
        return installedVersion.isPresent() ? InstallState.INSTALLED : InstallState.NOT_INSTALLED;
    }

    boolean pending(String command) {
        return pendingCommand.filter(command::equals).isPresent();
    }

    /** Required: install unless it is there (or on its way) already, or this service is removing it. */
    boolean needsInstall() {
        if (pending(INSTALL) || pending(UPDATE)) {
            return false;
        }
        return installedVersion.isEmpty() || pending(UNINSTALL);
    }

    /** Uninstall: only what this service installed, and only once. */
    boolean needsUninstall() {
        return installedByService
                && !pending(UNINSTALL)
                && (installedVersion.isPresent() || pending(INSTALL) || pending(UPDATE));
    }
}
