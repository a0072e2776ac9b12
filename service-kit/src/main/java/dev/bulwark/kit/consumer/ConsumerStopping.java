package dev.bulwark.kit.consumer;

/**
 * The service is shutting down while a record waits out a transient failure: the record is left unacknowledged (its
 * offset not committed), so the next start applies it; it is not dead-lettered.
 */
public final class ConsumerStopping extends RuntimeException {

    ConsumerStopping(String channel, Throwable last) {
        super("channel " + channel + " stopped while retrying: " + last, last);
    }
}
