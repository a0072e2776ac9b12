package dev.bulwark.compliance.access;

import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.subject.SubjectState;
import dev.bulwark.compliance.subject.UserMessages;
import dev.bulwark.events.ManagementType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Maps a subject's compliance state to an access decision. A subject in remediation is blocked but not yet signed out,
 * as a compliance action's grace period would block a non-compliant device; a signed-out one must sign in again.
 */
public final class AccessRules {

    private AccessRules() {}

    public static AccessVerdict decide(
            ManagementType path, SubjectState state, List<Violation> violations, Optional<Instant> remediationDueAt) {
        switch (state) {
            case COMPLIANT:
                return new AccessVerdict(AccessDecision.ALLOW, "Access allowed.");
            case NON_COMPLIANT_REMEDIATING:
                String deadline = remediationDueAt
                        .map(due -> " Fix this before " + due + " or you will be signed out.")
                        .orElse("");
                return new AccessVerdict(
                        AccessDecision.BLOCK,
                        "Access is blocked until this is fixed. " + UserMessages.notCompliant(path, violations)
                                + deadline);
            case BLOCKED:
                return new AccessVerdict(
                        AccessDecision.BLOCK,
                        "Access is blocked by your organization's policy. "
                                + UserMessages.notCompliant(path, violations));
            case SIGNED_OUT:
                return new AccessVerdict(
                        AccessDecision.SIGNED_OUT,
                        "Signed out, sign in again. " + UserMessages.notCompliant(path, violations));
            default:
                throw new IllegalStateException("unhandled state " + state);
        }
    }

    /**
     * The app has not checked in for longer than its policy's offline period before an access check: blocked until it
     * connects and checks in again.
     */
    public static AccessVerdict offlineTooLong(Instant lastCheckIn) {
        return new AccessVerdict(
                AccessDecision.BLOCK,
                "This app has been offline since " + lastCheckIn + ", longer than your organization allows. Connect to"
                        + " the internet and open the app so it can check in again.");
    }

    /** A retired device keeps no access, whatever its last verdict was. */
    public static AccessVerdict retired() {
        return new AccessVerdict(
                AccessDecision.BLOCK,
                "This device was retired from management; corporate data is not available on it.");
    }

    /** Enrolled or registered but never reported: nothing proves it compliant yet. */
    public static AccessVerdict notYetEvaluated(ManagementType path) {
        String subject = path == ManagementType.UNMANAGED ? "This app" : "Your device";
        return new AccessVerdict(
                AccessDecision.BLOCK,
                subject + " has not reported its state yet. Access is allowed once it checks in and meets your"
                        + " organization's rules.");
    }
}
