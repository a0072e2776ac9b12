package dev.bulwark.compliance.timeline;

import dev.bulwark.compliance.support.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Appends to and reads a subject's timeline; an entry is written in the same transaction as the change it explains. */
@ApplicationScoped
public class SubjectTimeline {

    private final EntityManager entityManager;
    private final JsonColumns json;

    SubjectTimeline(EntityManager entityManager, JsonColumns json) {
        this.entityManager = entityManager;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String tenantId, String subjectId, Instant at, TimelineKind kind, Map<String, ?> detail) {
        entityManager.persist(new TimelineEntry(tenantId, subjectId, at, kind, json.write(detail)));
    }

    /**
     * The subject's entries in the order they happened; ids break ties (ids come from a sequence in blocks per replica,
     * so they alone do not order the entries two replicas wrote).
     */
    public List<TimelineEntry> entries(String tenantId, String subjectId) {
        return entityManager
                .createQuery(
                        "from TimelineEntry e where e.tenantId = :tenant and e.subjectId = :subject"
                                + " order by e.at, e.id",
                        TimelineEntry.class)
                .setParameter("tenant", tenantId)
                .setParameter("subject", subjectId)
                .getResultList();
    }
}
