package dev.bulwark.registry.directory;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.kit.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The licence rules shared by the admin's licence call and the identity-provider import: which product a licensed user
 * gets when none is named, and the UserLicenseChanged event (bulwark.directory.v1, key userId) that records a change.
 * Keeping them in one place means both paths publish the same event for the same change.
 */
@ApplicationScoped
public class Licences {

    /** A user's licence state; {@code sku} is null exactly when the user is unlicensed. */
    public record Licence(boolean licensed, String sku) {

        public static final Licence NONE = new Licence(false, null);

        public static Licence of(DirectoryUser user) {
            return new Licence(user.licensed, user.sku);
        }
    }

    private final Outbox outbox;
    private final String defaultSku;

    Licences(Outbox outbox, @ConfigProperty(name = "bulwark.registry.default-sku") String defaultSku) {
        this.outbox = outbox;
        this.defaultSku = defaultSku;
    }

    /** The licence asked for: licensing without a product means the configured default; unlicensing drops the SKU. */
    public Licence requested(boolean licensed, Optional<String> sku) {
        return licensed ? new Licence(true, sku.orElse(defaultSku)) : Licence.NONE;
    }

    /** Records that {@code userId} now holds {@code licence}; call only when it differs from what the user had. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publishChange(String tenantId, String userId, Licence licence) {
        outbox.append(
                Topics.DIRECTORY,
                userId,
                UserLicenseChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                        .setTenantId(tenantId)
                        .setUserId(userId)
                        .setLicensed(licence.licensed())
                        .setSku(licence.sku())
                        .build());
    }
}
