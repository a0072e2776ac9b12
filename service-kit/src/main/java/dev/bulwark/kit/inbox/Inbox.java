package dev.bulwark.kit.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hibernate.Session;

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

    /**
     * Records that {@code consumer} is applying each of {@code eventIds}, with one statement. Returns those that were
     * not applied before (each once, however often it is listed); the caller applies only these.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Set<String> firstDeliveries(String consumer, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return new HashSet<>();
        }
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            Set<String> fresh = new HashSet<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into processed_event (consumer, event_id) select ?, id from unnest(?) as ids(id)"
                            + " on conflict do nothing returning event_id")) {
                statement.setString(1, consumer);
                statement.setArray(2, connection.createArrayOf("text", new LinkedHashSet<>(eventIds).toArray()));
                try (ResultSet inserted = statement.executeQuery()) {
                    while (inserted.next()) {
                        fresh.add(inserted.getString(1));
                    }
                }
            }
            return fresh;
        });
    }
}
