package dev.bulwark.compliance.policy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.TargetKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy projection, from PolicyChanged only. Each event carries the whole policy and a version, so the newest
 * version is the state: an older or repeated version changes nothing, and a replay rebuilds the same rows.
 */
@ApplicationScoped
public class Policies {

    private static final TypeReference<List<Map<String, Object>>> TARGETS = new TypeReference<>() {};

    private final EntityManager entityManager;
    private final ObjectMapper json;

    Policies(EntityManager entityManager, ObjectMapper json) {
        this.entityManager = entityManager;
        this.json = json;
    }

    /**
     * Stores the policy's new version; false when that version (or a newer one) is already stored or the kind is
     * unknown.
     *
     * @throws IllegalArgumentException when the settings body is not a JSON object
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean changed(PolicyChanged event) {
        if (event.getPolicyKind() == PolicyKind.UNKNOWN || event.getChange() == ChangeKind.UNKNOWN) {
            return false;
        }
        JsonNode settings = read(event.getSettingsJson());
        if (!settings.isObject()) {
            throw new IllegalArgumentException("PolicyChanged " + event.getEventId() + " of policy "
                    + event.getPolicyId() + ": settingsJson is not a JSON object");
        }
        List<Map<String, Object>> targets = event.getTargets().stream()
                .map(t -> {
                    Map<String, Object> line = new java.util.LinkedHashMap<>();
                    line.put("kind", t.getKind().name());
                    line.put("groupId", t.getGroupId());
                    line.put("excluded", t.getExcluded());
                    return line;
                })
                .toList();
        return entityManager
                        .createNativeQuery("insert into policy (tenant_id, policy_id, kind, version, name, platform,"
                                + " targets, settings, deleted, changed_at)"
                                + " values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), cast(?8 as jsonb), ?9, ?10)"
                                + " on conflict (tenant_id, policy_id) do update set kind = excluded.kind,"
                                + " version = excluded.version, name = excluded.name, platform = excluded.platform,"
                                + " targets = excluded.targets, settings = excluded.settings,"
                                + " deleted = excluded.deleted, changed_at = excluded.changed_at"
                                + " where policy.version < excluded.version")
                        .setParameter(1, event.getTenantId())
                        .setParameter(2, event.getPolicyId())
                        .setParameter(3, event.getPolicyKind().name())
                        .setParameter(4, event.getVersion())
                        .setParameter(5, event.getName())
                        .setParameter(
                                6,
                                event.getPlatform() == null
                                        ? null
                                        : event.getPlatform().name())
                        .setParameter(7, write(targets))
                        .setParameter(8, settings.toString())
                        .setParameter(9, event.getChange() == ChangeKind.DELETED)
                        .setParameter(10, Timestamp.from(event.getOccurredAt()))
                        .executeUpdate()
                == 1;
    }

    /** The tenant's live (not deleted) policies of one kind. */
    @SuppressWarnings("unchecked")
    public List<StoredPolicy> live(String tenantId, PolicyKind kind) {
        List<Object[]> rows = entityManager
                .createNativeQuery("select policy_id, name, version, platform, cast(targets as text),"
                        + " cast(settings as text) from policy where tenant_id = ?1 and kind = ?2 and not deleted"
                        + " order by policy_id")
                .setParameter(1, tenantId)
                .setParameter(2, kind.name())
                .getResultList();
        return rows.stream().map(row -> toPolicy(kind, row)).toList();
    }

    private StoredPolicy toPolicy(PolicyKind kind, Object[] row) {
        List<PolicyTarget> targets = readTargets((String) row[4]).stream()
                .map(line -> new PolicyTarget(
                        TargetKind.valueOf((String) line.get("kind")),
                        Optional.ofNullable((String) line.get("groupId")),
                        Boolean.TRUE.equals(line.get("excluded"))))
                .toList();
        return new StoredPolicy(
                (String) row[0],
                kind,
                (String) row[1],
                ((Number) row[2]).longValue(),
                Optional.ofNullable((String) row[3]).map(Platform::valueOf),
                targets,
                read((String) row[5]));
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private List<Map<String, Object>> readTargets(String text) {
        try {
            return json.readValue(text, TARGETS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
