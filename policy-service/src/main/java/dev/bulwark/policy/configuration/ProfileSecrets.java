package dev.bulwark.policy.configuration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The write-only secret values of profiles (profile_secret). Only their ids leave this class, as
 * {@code bulwark-secret:<id>} references; a value is read only for the managed device a profile was delivered to.
 */
@ApplicationScoped
class ProfileSecrets {

    private final EntityManager entityManager;
    private final Clock clock;

    ProfileSecrets(EntityManager entityManager, Clock clock) {
        this.entityManager = entityManager;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    void save(String tenantId, String profileId, List<ProfileSettings.NewSecret> secrets) {
        for (ProfileSettings.NewSecret secret : secrets) {
            entityManager
                    .createNativeQuery(
                            "insert into profile_secret (id, tenant_id, profile_id, field, secret, created_at)"
                                    + " values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, secret.id())
                    .setParameter(2, tenantId)
                    .setParameter(3, profileId)
                    .setParameter(4, secret.field())
                    .setParameter(5, secret.value())
                    .setParameter(6, Timestamp.from(clock.instant()))
                    .executeUpdate();
        }
    }

    /** Whether {@code reference} ({@code bulwark-secret:<id>}) names a secret of this profile. */
    boolean known(String tenantId, String profileId, String reference) {
        return value(tenantId, profileId, reference).isPresent();
    }

    /** The secret value a reference of this profile names. */
    Optional<String> value(String tenantId, String profileId, String reference) {
        if (reference == null || !reference.startsWith(ProfileSettings.SECRET_SCHEME)) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<String> values = entityManager
                .createNativeQuery(
                        "select secret from profile_secret where id = ?1 and tenant_id = ?2" + " and profile_id = ?3")
                .setParameter(1, reference.substring(ProfileSettings.SECRET_SCHEME.length()))
                .setParameter(2, tenantId)
                .setParameter(3, profileId)
                .getResultList();
        return values.stream().findFirst();
    }
}
