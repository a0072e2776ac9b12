package dev.bulwark.signoutbridge;

/**
 * The identity provider could not carry out a sign-out now (unreachable, timed out, 5xx, 429, or refusing the bridge's
 * own credentials): the event is retried with backoff and consumption waits, nothing is skipped.
 */
public final class ProviderUnavailableException extends Exception {

    public ProviderUnavailableException(String message) {
        super(message);
    }

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
