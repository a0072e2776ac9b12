package dev.bulwark.testsupport;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A tool a test needs from outside Maven (a browser, npm packages). On a developer's machine a missing one skips the
 * test with its reason; under CI ({@code CI=true}) it fails the test, so a run can never be green without the check
 * having run.
 */
public final class Prerequisite {

    private Prerequisite() {}

    /** Whether this run is CI's ({@code CI=true} in the environment). */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or, under CI, fails) the calling test with {@code reason} unless {@code present}. */
    public static void require(boolean present, String reason) {
        if (present) {
            return;
        }
        if (underCi()) {
            Assertions.fail("cannot run under CI=true: " + reason);
        }
        Assumptions.abort(reason);
    }
}
