package dev.bulwark.registry.directory;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Enabling and disabling accounts. A disabled account stays in the directory (its devices, app instances and group
 * memberships are kept, so enabling it again restores everything); what changes is that app protection's "disabled
 * account" conditional launch (block access or wipe data) applies to it, which compliance-service learns from
 * UserAccountChanged (bulwark.directory.v1, key userId), written here in the same transaction as the new state.
 */
@ApplicationScoped
public class Accounts {

    private final Outbox outbox;

    Accounts(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Sets the account's state and publishes the change; setting the state it already has changes nothing.
     *
     * @param user the user, read under a row lock by the caller's transaction
     * @return whether the state changed
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean setEnabled(DirectoryUser user, boolean enabled) {
        if (user.enabled == enabled) {
            return false;
        }
        user.enabled = enabled;
        outbox.append(
                Topics.DIRECTORY,
                user.userId,
                UserAccountChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                        .setTenantId(user.tenantId)
                        .setUserId(user.userId)
                        .setEnabled(enabled)
                        .build());
        return true;
    }
}
