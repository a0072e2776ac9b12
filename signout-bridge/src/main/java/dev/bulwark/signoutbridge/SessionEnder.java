package dev.bulwark.signoutbridge;

/**
 * Ends a user's sessions at one identity provider: the one thing the bridge asks of a provider. Keycloak's is
 * {@link KeycloakSessions}; how Entra ID and Okta would implement it is in the module's README.
 *
 * <p>An implementation must be idempotent per event: carrying out the same {@link SignOut} again ends nothing the first
 * time did not (sessions begun after {@link SignOut#occurredAt()} are never this event's to end), so redelivery,
 * replay and several bridge replicas are safe.
 */
public interface SessionEnder {

    /**
     * Ends the sessions the sign-out names.
     *
     * @return what was done
     * @throws ProviderUnavailableException when the provider cannot be reached or answers with a transient error: the
     *     bridge retries the same event later, with backoff
     * @throws RefusedSignOutException when the provider can never carry it out as configured (no such realm, no right
     *     to manage its users): dead-lettered so other tenants' sign-outs are not held back
     */
    Outcome endSessions(SignOut signOut) throws ProviderUnavailableException, RefusedSignOutException;

    /** A short name for logs and metrics, e.g. {@code keycloak}. */
    String name();

    /** Whether the provider answers at all, for readiness while no sign-out is waiting; a cheap call. */
    default boolean reachable() {
        return true;
    }

    /** What carrying out one sign-out did. */
    sealed interface Outcome {}

    /** The user's sessions (begun before the event) were ended; the counts may be 0 when none was left. */
    record Ended(int sessions, int offlineSessions) implements Outcome {}

    /** The provider does not know the user: nothing to end (logged and counted, never retried). */
    record UnknownUser(String detail) implements Outcome {}

    /** This bridge serves no realm for the event's tenant (another bridge or provider does). */
    record TenantNotServed(String tenantId) implements Outcome {}
}
