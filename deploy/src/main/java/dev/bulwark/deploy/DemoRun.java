package dev.bulwark.deploy;

import dev.bulwark.simulator.DemoSeed;
import dev.bulwark.simulator.Summary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./bulwark up --demo}: once the stack is ready, the simulator's demo runs in the launcher's own JVM — it seeds
 * the tenant {@code demo} (what {@code ./bulwark demo-seed} does) and plays a small fleet against the stack until
 * Ctrl-C, so a newcomer needs one command and one terminal to see the whole story.
 */
final class DemoRun {

    static final String TENANT = "demo";
    static final int DEVICES = 20;
    static final int APPS = 20;
    /** Check-ins per second for the whole fleet: each of the ~45 subjects reports about every 20 s. */
    static final String RATE = "2";

    private final DemoSeed.InProcess demo;
    private volatile Thread thread;

    DemoRun(Path dataDir, boolean untilStopped) {
        this.demo = new DemoSeed.InProcess(fleetArgs(dataDir, untilStopped));
    }

    /**
     * The simulator options on top of the demo's defaults: the stack's data folder (addresses and token keys), the
     * fleet's size and rate, and — until stopped — a reporting phase longer than anyone keeps a demo running.
     */
    static List<String> fleetArgs(Path dataDir, boolean untilStopped) {
        List<String> args = new ArrayList<>(List.of(
                "--data-dir",
                dataDir.toString(),
                "--tenant",
                TENANT,
                "--devices",
                Integer.toString(DEVICES),
                "--apps",
                Integer.toString(APPS),
                "--rate",
                RATE));
        if (untilStopped) {
            args.addAll(List.of("--duration", "168h"));
        }
        return args;
    }

    /** The simulator options the demo runs with. */
    dev.bulwark.simulator.SimulatorOptions options() {
        return demo.options();
    }

    /** Runs the demo in this thread and prints its summary; returns 0, or 1 when seeding or the fleet failed. */
    int runHere(PrintStream out) {
        thread = Thread.currentThread();
        try {
            Optional<Summary> summary = demo.run();
            summary.ifPresent(s -> out.print("\n" + s.toText()));
            return 0;
        } catch (IllegalStateException e) {
            out.println("\ndemo: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            out.flush();
        }
    }

    /** Runs the demo in its own thread, so the launcher can go on waiting for Ctrl-C. */
    void start(PrintStream out) {
        Thread t = new Thread(() -> runHere(out), "bulwark-demo");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Ends the fleet and waits a little for its summary, before the stack it talks to is stopped. */
    void stop() {
        demo.stop();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Where to look while the demo runs; {@code dataDirOption} is " --data-dir …" or "" for the default folder. */
    static String guide(
            String gatewayUrl, String adminToken, String userToken, String dataDirOption, boolean untilStopped) {
        return "\nDemo: seeding tenant '" + TENANT + "' (groups Sales and Contractors, users, licences, Contoso Mail /"
                + " Teams / Files,\n"
                + "assignments, a level-2 app protection policy, a device compliance policy, passcode and Wi-Fi\n"
                + "configuration profiles), then " + DEVICES
                + " managed devices and " + APPS + " app installations enroll, sign in and check in (" + RATE
                + " reports/s) " + (untilStopped ? "until Ctrl-C" : "for 40 s, then everything stops") + ".\n"
                + "Watch it happen in another terminal:\n"
                + "  ./bulwark events signout" + dataDirOption + "        # SignOutRequired: who is signed out, why\n"
                + "  ./bulwark events compliance" + dataDirOption
                + "     # ComplianceFailed, RemediationAttempted, ComplianceRestored\n"
                + "  ./bulwark events mdm-commands" + dataDirOption + "   # installs and configuration profiles\n"
                + "  ./bulwark events devices" + dataDirOption + "        # enrollments, registrations, check-ins\n"
                + "Web Company Portal (as alice): " + gatewayUrl + "/portal#token=" + userToken + "\n"
                + "Admin API (tenant demo):\n"
                + "  export ADMIN=" + adminToken + "\n"
                + "  curl -s -H \"Authorization: Bearer $ADMIN\" " + gatewayUrl + "/api/v1/devices\n"
                + "  (every service's API at this one address; their OpenAPI documents: " + gatewayUrl + "/)\n";
    }
}
