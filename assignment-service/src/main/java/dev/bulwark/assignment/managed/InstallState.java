package dev.bulwark.assignment.managed;

/** Where an app stands on one managed device, from the commands sent and the device's last report. */
public enum InstallState {
    NOT_INSTALLED,
    INSTALL_PENDING,
    UPDATE_PENDING,
    UNINSTALL_PENDING,
    INSTALLED
}
