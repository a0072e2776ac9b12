package dev.bulwark.signoutbridge;

/**
 * A record the bridge can never carry out, whatever it retries: not the single-object encoding, written with a schema
 * it does not know, or not a SignOutRequired. It goes to the dead-letter topic with this message as its reason.
 */
public final class UnreadableRecordException extends Exception {

    public UnreadableRecordException(String message) {
        super(message);
    }

    public UnreadableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
