package dev.bulwark.kit.consumer;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A single-record consumer whose every record is applied in a transaction of its own, with its inbox row: the channel,
 * a retry after a transient failure and a re-drive all start afresh. The consumer writes only what happens inside it.
 */
public interface OneTransactionPerRecord extends RedrivableConsumer {

    /** Applies one record inside the transaction {@link #apply} opened; throws when it cannot. */
    void applyInTransaction(Decoded decoded);

    @Override
    default void apply(Decoded decoded) {
        QuarkusTransaction.requiringNew().run(() -> applyInTransaction(decoded));
    }
}
