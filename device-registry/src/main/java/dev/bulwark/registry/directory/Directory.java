package dev.bulwark.registry.directory;

import dev.bulwark.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Optional;

/** Reads the tenant's users for the other features (enrollment, app registration, groups) without exposing the table. */
@ApplicationScoped
public class Directory {

    private final EntityManager entityManager;

    Directory(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Optional<DirectoryUser> find(String tenantId, String userId) {
        if (userId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(entityManager.find(DirectoryUser.class, new DirectoryUser.Key(tenantId, userId)));
    }

    /**
     * The user, or a 422 naming {@code field}: the request is well formed but refers to someone the tenant does not
     * have.
     */
    public DirectoryUser require(String tenantId, String userId, String field) {
        return find(tenantId, userId)
                .orElseThrow(() ->
                        ProblemException.unprocessable(field, "no user '" + userId + "' in this tenant's directory"));
    }
}
