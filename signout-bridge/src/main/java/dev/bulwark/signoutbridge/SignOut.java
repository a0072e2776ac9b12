package dev.bulwark.signoutbridge;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the bridge needs of one SignOutRequired: whose sessions end, for which apps, and from when on.
 *
 * @param eventId the event's id: the same id read twice is the same sign-out
 * @param occurredAt when Bulwark decided the sign-out; sessions begun after it are not this event's to end
 * @param tenantId the tenant, which picks the identity provider's realm
 * @param userId the user as Bulwark names them (the claim the services map the user id from)
 * @param appIds the protected apps to sign out of; empty means every app
 * @param reason the event's reason, for the log and the metrics (one of SignOutReason's symbols)
 */
public record SignOut(
        String eventId, Instant occurredAt, String tenantId, String userId, List<String> appIds, String reason) {

    public SignOut {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        appIds = List.copyOf(appIds);
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether the event names apps (else it signs the user out of every app). */
    public boolean namesApps() {
        return !appIds.isEmpty();
    }
}
