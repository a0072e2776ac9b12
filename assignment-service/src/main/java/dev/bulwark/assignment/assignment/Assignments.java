package dev.bulwark.assignment.assignment;

import dev.bulwark.assignment.targeting.AssignmentRule;
import dev.bulwark.assignment.targeting.Intent;
import dev.bulwark.assignment.targeting.TargetKind;
import dev.bulwark.assignment.targeting.TargetLine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stores assignments and their target lines, and reads them back per app for targeting. */
@ApplicationScoped
public class Assignments {

    private final EntityManager em;

    Assignments(EntityManager em) {
        this.em = em;
    }

    /** Every assignment of the app, oldest first. */
    public List<StoredAssignment> ofApp(String tenantId, String appId) {
        return load(" and a.app_id = ?2", tenantId, appId);
    }

    public Optional<StoredAssignment> find(String tenantId, String appId, String assignmentId) {
        return ofApp(tenantId, appId).stream()
                .filter(a -> a.assignmentId().equals(assignmentId))
                .findFirst();
    }

    /** Every assignment of the tenant as targeting rules, by app. */
    public Map<String, List<AssignmentRule>> rulesByApp(String tenantId) {
        Map<String, List<AssignmentRule>> rules = new LinkedHashMap<>();
        for (StoredAssignment a : load("", tenantId, null)) {
            rules.computeIfAbsent(a.appId(), k -> new ArrayList<>()).add(a.rule());
        }
        return rules;
    }

    /**
     * The other assignment of this app that already includes the same target, if any: one group carries one intent
     * per app.
     */
    Optional<String> holderOf(String tenantId, String appId, TargetLine line, String exceptAssignment) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select assignment_id from assignment_target where tenant_id = ?1"
                        + " and app_id = ?2 and kind = ?3 and group_id = ?4 and not excluded and assignment_id <> ?5")
                .setParameter(1, tenantId)
                .setParameter(2, appId)
                .setParameter(3, line.kind().name())
                .setParameter(4, line.groupId())
                .setParameter(5, exceptAssignment)
                .getResultList();
        return rows.stream().findFirst();
    }

    void insert(StoredAssignment a) {
        em.createNativeQuery("insert into assignment (tenant_id, assignment_id, app_id, intent, version)"
                        + " values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, a.tenantId())
                .setParameter(2, a.assignmentId())
                .setParameter(3, a.appId())
                .setParameter(4, a.intent().name())
                .setParameter(5, a.version())
                .executeUpdate();
        insertTargets(a);
    }

    void replace(StoredAssignment a) {
        em.createNativeQuery("update assignment set intent = ?3, version = ?4, updated_at = now()"
                        + " where tenant_id = ?1 and assignment_id = ?2")
                .setParameter(1, a.tenantId())
                .setParameter(2, a.assignmentId())
                .setParameter(3, a.intent().name())
                .setParameter(4, a.version())
                .executeUpdate();
        em.createNativeQuery("delete from assignment_target where tenant_id = ?1 and assignment_id = ?2")
                .setParameter(1, a.tenantId())
                .setParameter(2, a.assignmentId())
                .executeUpdate();
        insertTargets(a);
    }

    void delete(String tenantId, String assignmentId) {
        em.createNativeQuery("delete from assignment where tenant_id = ?1 and assignment_id = ?2")
                .setParameter(1, tenantId)
                .setParameter(2, assignmentId)
                .executeUpdate();
    }

    private void insertTargets(StoredAssignment a) {
        for (TargetLine line : a.targets()) {
            em.createNativeQuery(
                            "insert into assignment_target"
                                    + " (tenant_id, assignment_id, app_id, kind, group_id, excluded) values (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, a.tenantId())
                    .setParameter(2, a.assignmentId())
                    .setParameter(3, a.appId())
                    .setParameter(4, line.kind().name())
                    .setParameter(5, line.groupId())
                    .setParameter(6, line.excluded())
                    .executeUpdate();
        }
    }

    private List<StoredAssignment> load(String filter, String tenantId, String appId) {
        var query = em.createNativeQuery("select a.assignment_id, a.app_id, a.intent, a.version, t.kind, t.group_id,"
                        + " t.excluded from assignment a left join assignment_target t"
                        + " on t.tenant_id = a.tenant_id and t.assignment_id = a.assignment_id"
                        + " where a.tenant_id = ?1" + filter
                        + " order by a.created_at, a.assignment_id, t.excluded, t.kind, t.group_id")
                .setParameter(1, tenantId);
        if (appId != null) {
            query.setParameter(2, appId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        Map<String, Object[]> heads = new LinkedHashMap<>();
        Map<String, List<TargetLine>> lines = new LinkedHashMap<>();
        for (Object[] r : rows) {
            String id = (String) r[0];
            heads.putIfAbsent(id, r);
            List<TargetLine> targets = lines.computeIfAbsent(id, k -> new ArrayList<>());
            if (r[4] != null) {
                targets.add(new TargetLine(TargetKind.valueOf((String) r[4]), (String) r[5], (Boolean) r[6]));
            }
        }
        return heads.values().stream()
                .map(r -> new StoredAssignment(
                        tenantId,
                        (String) r[0],
                        (String) r[1],
                        Intent.valueOf((String) r[2]),
                        ((Number) r[3]).longValue(),
                        lines.get((String) r[0])))
                .toList();
    }
}
