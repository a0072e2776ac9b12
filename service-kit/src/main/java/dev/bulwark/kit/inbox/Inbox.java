package dev.bulwark.kit.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Remembers which events a consumer has already applied. The row is written in the consumer's own transaction, so an
 * event redelivered after a crash or a rebalance is recognised and its effect is not applied twice.
 */
@ApplicationScoped
public class Inbox {

    private final EntityManager entityManager;

    Inbox(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Records that {@code consumer} is applying {@code eventId}. Returns {@code false} when it was applied before; the
     * caller then does nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String eventId) {
        int inserted = entityManager
                .createNativeQuery(
                        "insert into processed_event (consumer, event_id) values (?1, ?2)" + " on conflict do nothing")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .executeUpdate();
        return inserted == 1;
    }
}
