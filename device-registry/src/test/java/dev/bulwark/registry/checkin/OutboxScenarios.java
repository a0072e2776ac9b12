package dev.bulwark.registry.checkin;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Transactions that end badly after appending to the outbox, for {@link OutboxAtCommitTest}. */
@ApplicationScoped
public class OutboxScenarios {

    private final Outbox outbox;
    private final EntityManager entityManager;

    OutboxScenarios(Outbox outbox, EntityManager entityManager) {
        this.outbox = outbox;
        this.entityManager = entityManager;
    }

    static UserAccountChanged accountChanged(String tenantId, String userId) {
        return UserAccountChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setTenantId(tenantId)
                .setUserId(userId)
                .setEnabled(false)
                .build();
    }

    /** Appends {@code event}, then fails: the transaction rolls back. */
    @Transactional
    public void appendThenFail(UserAccountChanged event) {
        outbox.append(Topics.DIRECTORY, event.getUserId(), event);
        throw new IllegalStateException("the change failed after its event was appended");
    }

    /**
     * Renames the device's model and appends {@code event} twice: the second row breaks the outbox's unique eventId
     * when the rows are written at commit, so the commit fails.
     */
    @Transactional
    public void changeDeviceAndAppendDuplicate(String deviceId, String model, UserAccountChanged event) {
        entityManager
                .createNativeQuery("update managed_device set model = ?1 where device_id = ?2")
                .setParameter(1, model)
                .setParameter(2, deviceId)
                .executeUpdate();
        outbox.append(Topics.DIRECTORY, event.getUserId(), event);
        outbox.append(Topics.DIRECTORY, event.getUserId(), event);
    }
}
