package dev.bulwark.kit.consumer;

/**
 * A consumer whose dead letters can be re-driven: it names the topic it reads and applies one decoded record of it
 * exactly as its channel does (its own transaction, its inbox), so a re-driven event that was applied before changes
 * nothing.
 */
public interface RedrivableConsumer {

    /** The topic this consumer reads (the {@code dead-letter-topic} header of its dead letters). */
    String topic();

    /** Applies one record of {@link #topic()}, opening its own transaction; throws when it cannot. */
    void apply(Decoded decoded);
}
