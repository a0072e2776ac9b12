package dev.bulwark.assignment.catalogue;

import dev.bulwark.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads and writes the tenant's catalogue, so the assignment and portal features share one way to find an app. */
@ApplicationScoped
public class Catalogue {

    private final EntityManager entityManager;

    Catalogue(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public Optional<CatalogueApp> find(String tenantId, String appId) {
        CatalogueApp.Key key = new CatalogueApp.Key();
        key.tenantId = tenantId;
        key.appId = appId;
        return Optional.ofNullable(entityManager.find(CatalogueApp.class, key));
    }

    /** The app, or a 404 problem. */
    public CatalogueApp require(String tenantId, String appId) {
        return find(tenantId, appId)
                .orElseThrow(() -> ProblemException.notFound("No app " + appId + " in this tenant's catalogue."));
    }

    public List<CatalogueApp> all(String tenantId) {
        return entityManager
                .createQuery("from CatalogueApp where tenantId = :tenant order by appId", CatalogueApp.class)
                .setParameter("tenant", tenantId)
                .getResultList();
    }

    /** The apps with these ids, by id. */
    public Map<String, CatalogueApp> byIds(String tenantId, Collection<String> appIds) {
        if (appIds.isEmpty()) {
            return Map.of();
        }
        return entityManager
                .createQuery("from CatalogueApp where tenantId = :tenant and appId in :ids", CatalogueApp.class)
                .setParameter("tenant", tenantId)
                .setParameter("ids", appIds)
                .getResultStream()
                .collect(Collectors.toMap(a -> a.appId, Function.identity()));
    }

    boolean hasVersion(String tenantId, String appId, String version) {
        return !entityManager
                .createNativeQuery("select 1 from app_version where tenant_id = ?1 and app_id = ?2 and version = ?3")
                .setParameter(1, tenantId)
                .setParameter(2, appId)
                .setParameter(3, version)
                .getResultList()
                .isEmpty();
    }

    void addVersion(String tenantId, String appId, String version, String releaseNotes) {
        entityManager
                .createNativeQuery(
                        "insert into app_version (tenant_id, app_id, version, release_notes) values (?1, ?2, ?3, ?4)")
                .setParameter(1, tenantId)
                .setParameter(2, appId)
                .setParameter(3, version)
                .setParameter(4, releaseNotes)
                .executeUpdate();
    }

    List<CatalogueResource.VersionView> versions(String tenantId, String appId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager
                .createNativeQuery("select version, release_notes, published_at from app_version"
                        + " where tenant_id = ?1 and app_id = ?2 order by published_at, version")
                .setParameter(1, tenantId)
                .setParameter(2, appId)
                .getResultList();
        return rows.stream()
                .map(r -> new CatalogueResource.VersionView(appId, (String) r[0], (String) r[1], instant(r[2]), 0))
                .toList();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value);
    }
}
