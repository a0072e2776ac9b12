package dev.bulwark.assignment.targeting;

/** What an assignment wants for its targets: offered in the Company Portal, installed, or removed. */
public enum Intent {
    AVAILABLE,
    REQUIRED,
    UNINSTALL;

    /** Intents that act on a device without the user asking, and so only ever on managed devices. */
    public boolean actsOnDevice() {
        return this != AVAILABLE;
    }
}
