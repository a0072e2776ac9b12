package dev.bulwark.registry.directory;

import dev.bulwark.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
        return find(tenantId, userId).orElseThrow(() -> unknownUser(userId, field));
    }

    /** The 422 for a user the tenant's directory does not have, naming the request's {@code field}. */
    public static ProblemException unknownUser(String userId, String field) {
        return ProblemException.unprocessable(field, "no user '" + userId + "' in this tenant's directory");
    }

    /**
     * Which of {@code users} the directory has: one query per tenant among them (a group is mostly one tenant). Native,
     * with the ids as one array: the statement is the same whatever the group's size, where an HQL {@code in :list} is
     * translated again for each list length.
     */
    @SuppressWarnings("unchecked")
    public Set<DirectoryUser.Key> present(Collection<DirectoryUser.Key> users) {
        Map<String, List<String>> byTenant = users.stream()
                .collect(Collectors.groupingBy(
                        key -> key.tenantId, Collectors.mapping(key -> key.userId, Collectors.toList())));
        Set<DirectoryUser.Key> present = new HashSet<>();
        byTenant.forEach((tenantId, userIds) -> ((List<String>) entityManager
                        .createNativeQuery("select user_id from directory_user where tenant_id = ?1"
                                + " and user_id = any (cast(?2 as text[]))")
                        .setParameter(1, tenantId)
                        .setParameter(2, userIds.stream().distinct().toArray(String[]::new))
                        .getResultList())
                .forEach(userId -> present.add(new DirectoryUser.Key(tenantId, userId))));
        return present;
    }
}
