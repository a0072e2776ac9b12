package dev.bulwark.compliance.directory;

import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.events.UserLicenseChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * compliance-service's copy of the directory: which users are licensed and who is in which group, from device-registry's
 * events. A newer change always wins over an older one arriving late, so replaying the topic rebuilds the same rows.
 */
@ApplicationScoped
public class Directory {

    private final EntityManager entityManager;

    Directory(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Applies a licence change; false when a newer one was already applied. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean licenceChanged(UserLicenseChanged event) {
        return entityManager
                        .createNativeQuery("insert into directory_user (tenant_id, user_id, licensed, sku, changed_at)"
                                + " values (?1, ?2, ?3, ?4, ?5) on conflict (tenant_id, user_id) do update"
                                + " set licensed = excluded.licensed, sku = excluded.sku, changed_at = excluded.changed_at"
                                + " where directory_user.changed_at <= excluded.changed_at")
                        .setParameter(1, event.getTenantId())
                        .setParameter(2, event.getUserId())
                        .setParameter(3, event.getLicensed())
                        .setParameter(4, event.getSku())
                        .setParameter(5, Timestamp.from(event.getOccurredAt()))
                        .executeUpdate()
                == 1;
    }

    /** Applies an account's enabled / disabled change; false when a newer one was already applied. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean accountChanged(UserAccountChanged event) {
        return entityManager
                        .createNativeQuery("insert into directory_account (tenant_id, user_id, enabled, changed_at)"
                                + " values (?1, ?2, ?3, ?4) on conflict (tenant_id, user_id) do update"
                                + " set enabled = excluded.enabled, changed_at = excluded.changed_at"
                                + " where directory_account.changed_at <= excluded.changed_at")
                        .setParameter(1, event.getTenantId())
                        .setParameter(2, event.getUserId())
                        .setParameter(3, event.getEnabled())
                        .setParameter(4, Timestamp.from(event.getOccurredAt()))
                        .executeUpdate()
                == 1;
    }

    /** Of {@code userIds}, those whose account is disabled now; a user never seen disabled is enabled. */
    @SuppressWarnings("unchecked")
    public Set<String> disabled(String tenantId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Set.of();
        }
        List<String> rows = entityManager
                .createNativeQuery("select user_id from directory_account"
                        + " where tenant_id = ?1 and not enabled and user_id = any(?2)")
                .setParameter(1, tenantId)
                .setParameter(2, userIds.toArray(String[]::new))
                .getResultList();
        return new HashSet<>(rows);
    }

    /**
     * Applies a membership change; false when a newer change of the same membership was already applied or the group
     * kind is unknown.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean membershipChanged(GroupMembershipChanged event) {
        if (event.getGroupKind() == GroupKind.UNKNOWN || event.getChange() == MembershipChange.UNKNOWN) {
            return false;
        }
        return entityManager
                        .createNativeQuery(
                                "insert into group_member"
                                        + " (tenant_id, group_id, group_kind, member_id, present, changed_at)"
                                        + " values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (tenant_id, group_id, member_id) do update"
                                        + " set present = excluded.present, group_kind = excluded.group_kind,"
                                        + " changed_at = excluded.changed_at where group_member.changed_at <= excluded.changed_at")
                        .setParameter(1, event.getTenantId())
                        .setParameter(2, event.getGroupId())
                        .setParameter(3, event.getGroupKind().name())
                        .setParameter(4, event.getMemberId())
                        .setParameter(5, event.getChange() == MembershipChange.ADDED)
                        .setParameter(6, Timestamp.from(event.getOccurredAt()))
                        .executeUpdate()
                == 1;
    }

    /** The groups (of either kind) the member belongs to now. */
    public Set<String> groupsOf(String tenantId, String memberId) {
        return groupsOf(tenantId, List.of(memberId)).getOrDefault(memberId, Set.of());
    }

    /** The groups of many members in one query, for re-evaluating a group of subjects at once. */
    @SuppressWarnings("unchecked")
    public Map<String, Set<String>> groupsOf(String tenantId, Collection<String> memberIds) {
        Map<String, Set<String>> groups = new HashMap<>();
        if (memberIds.isEmpty()) {
            return groups;
        }
        List<Object[]> rows = entityManager
                .createNativeQuery("select member_id, group_id from group_member"
                        + " where tenant_id = ?1 and present and member_id = any(?2)")
                .setParameter(1, tenantId)
                .setParameter(2, memberIds.toArray(String[]::new))
                .getResultList();
        for (Object[] row : rows) {
            groups.computeIfAbsent((String) row[0], k -> new HashSet<>()).add((String) row[1]);
        }
        return groups;
    }

    /** Of {@code userIds}, those who hold the licence now; a user never seen licensed is not. */
    @SuppressWarnings("unchecked")
    public Set<String> licensed(String tenantId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Set.of();
        }
        List<String> rows = entityManager
                .createNativeQuery("select user_id from directory_user"
                        + " where tenant_id = ?1 and licensed and user_id = any(?2)")
                .setParameter(1, tenantId)
                .setParameter(2, userIds.toArray(String[]::new))
                .getResultList();
        return new HashSet<>(rows);
    }
}
