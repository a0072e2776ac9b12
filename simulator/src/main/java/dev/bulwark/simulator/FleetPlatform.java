package dev.bulwark.simulator;

/**
 * The platforms the simulator plays, with the OS versions it reports: one the compliance baseline accepts and one
 * below its minimum (Android 14, iOS 17, Windows 10.0.19045, macOS 14 by default).
 */
public enum FleetPlatform {
    ANDROID("14", "15", "12", "13"),
    IOS("17.5", "18.1", "15.7", "16.4"),
    WINDOWS("10.0.19045", "10.0.22631", "10.0.17763", "10.0.18363"),
    MACOS("14.5", "15.1", "12.7", "13.6");

    private final String[] compliantOs;
    private final String[] outdatedOs;

    FleetPlatform(String compliantA, String compliantB, String outdatedA, String outdatedB) {
        this.compliantOs = new String[] {compliantA, compliantB};
        this.outdatedOs = new String[] {outdatedA, outdatedB};
    }

    /** An OS version that meets the baseline minimum. */
    public String compliantOs(int pick) {
        return compliantOs[Math.floorMod(pick, compliantOs.length)];
    }

    /** An OS version below the baseline minimum. */
    public String outdatedOs(int pick) {
        return outdatedOs[Math.floorMod(pick, outdatedOs.length)];
    }

    /** Protected apps (App SDK) exist only on the mobile platforms. */
    public boolean mobile() {
        return this == ANDROID || this == IOS;
    }
}
