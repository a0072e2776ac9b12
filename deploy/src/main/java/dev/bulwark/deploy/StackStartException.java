package dev.bulwark.deploy;

import java.util.Optional;

/**
 * The stack could not start; by the time this is thrown everything already started has been stopped. Names the
 * service at fault, if one was, and carries the end of its log so the reason is visible where the failure is reported.
 */
public final class StackStartException extends RuntimeException {

    private final transient Optional<BulwarkService> service;

    public StackStartException(String message) {
        super(message);
        this.service = Optional.empty();
    }

    public StackStartException(String message, Throwable cause) {
        super(message, cause);
        this.service = Optional.empty();
    }

    public StackStartException(String message, BulwarkService service, String logTail) {
        super(message + "\n--- last lines of " + service.moduleName() + "'s log ---\n" + logTail + "\n---");
        this.service = Optional.of(service);
    }

    /** The service that failed to start, if the failure was a service's. */
    public Optional<BulwarkService> service() {
        return service;
    }
}
