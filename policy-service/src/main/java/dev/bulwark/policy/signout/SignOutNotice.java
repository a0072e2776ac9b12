package dev.bulwark.policy.signout;

import java.time.Instant;
import java.util.Optional;

/**
 * compliance-service's demand that one account sign out of one protected app ({@code appId} "*" = every app), as
 * learned from SignOutRequired. An unmanaged subject is one app instance, so the demand reaches only the sign-ins of
 * that installation ({@code registrationId} = the notice's subjectId); a managed subject is a device that a sign-in
 * here cannot name, so the demand reaches every installation of the account ({@code registrationId} ""). It stands
 * until the account signs in again there with a token issued after {@code requiredAt}.
 */
public record SignOutNotice(
        String appId,
        String registrationId,
        String subjectId,
        String reason,
        String userMessage,
        boolean selectiveWipe,
        Instant requiredAt,
        Optional<Instant> clearedAt) {

    public static final String EVERY_APP = "*";

    /** The {@link #registrationId} of a demand that reaches every installation of the account (managed sign-outs). */
    public static final String EVERY_INSTALLATION = "";

    /** Whether the demand is for one app installation only (an unmanaged app instance). */
    public boolean oneInstallation() {
        return !EVERY_INSTALLATION.equals(registrationId);
    }

    /** Whether the demand still stands (not cleared since it was made). */
    public boolean active() {
        return clearedAt.isEmpty() || clearedAt.get().isBefore(requiredAt);
    }

    /** The latest moment this notice changed: newer notices replace older ones in the cache. */
    public Instant stamp() {
        return clearedAt.filter(c -> c.isAfter(requiredAt)).orElse(requiredAt);
    }

    /** Whether a sign-in with a token issued at {@code issuedAt} happened after the demand (seconds precision). */
    public boolean satisfiedBy(Optional<Instant> issuedAt) {
        return issuedAt.isPresent() && issuedAt.get().getEpochSecond() > requiredAt.getEpochSecond();
    }

    SignOutNotice cleared(Instant at) {
        return new SignOutNotice(
                appId, registrationId, subjectId, reason, userMessage, selectiveWipe, requiredAt, Optional.of(at));
    }
}
