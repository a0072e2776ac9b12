package dev.bulwark.policy.signout;

import java.time.Instant;
import java.util.Optional;

/**
 * compliance-service's demand that one account sign out of one protected app ({@code appId} "*" = every app), as
 * learned from SignOutRequired. It stands until the account signs in again with a token issued after
 * {@code requiredAt}.
 */
public record SignOutNotice(
        String appId,
        String subjectId,
        String reason,
        String userMessage,
        boolean selectiveWipe,
        Instant requiredAt,
        Optional<Instant> clearedAt) {

    public static final String EVERY_APP = "*";

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
        return new SignOutNotice(appId, subjectId, reason, userMessage, selectiveWipe, requiredAt, Optional.of(at));
    }
}
