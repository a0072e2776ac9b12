package dev.bulwark.assignment.projection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This service's own copy of the devices, app instances, licences and group memberships other services announce.
 * Written only by the event consumers, read in bulk by targeting, so no request ever reads another service's database.
 */
@ApplicationScoped
public class Projections {

    /** Group kinds as stored: the directory's USER and DEVICE groups. */
    public static final String USER_GROUP = "USER";

    public static final String DEVICE_GROUP = "DEVICE";

    private static final int LARGE = 500;

    private final EntityManager em;

    Projections(EntityManager em) {
        this.em = em;
    }

    void deviceEnrolled(String tenantId, String deviceId, String userId, String platform) {
        em.createNativeQuery("insert into managed_device (tenant_id, device_id, user_id, platform, active)"
                        + " values (?1, ?2, ?3, ?4, true) on conflict (tenant_id, device_id)"
                        + " do update set user_id = excluded.user_id, platform = excluded.platform, active = true")
                .setParameter(1, tenantId)
                .setParameter(2, deviceId)
                .setParameter(3, userId)
                .setParameter(4, platform)
                .executeUpdate();
    }

    boolean deviceRetired(String tenantId, String deviceId) {
        return em.createNativeQuery("update managed_device set active = false where tenant_id = ?1 and device_id = ?2")
                        .setParameter(1, tenantId)
                        .setParameter(2, deviceId)
                        .executeUpdate()
                > 0;
    }

    void appInstanceRegistered(AppInstance instance) {
        em.createNativeQuery("insert into app_instance (tenant_id, registration_id, user_id, app_id, platform)"
                        + " values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .setParameter(1, instance.tenantId())
                .setParameter(2, instance.registrationId())
                .setParameter(3, instance.userId())
                .setParameter(4, instance.appId())
                .setParameter(5, instance.platform())
                .executeUpdate();
    }

    void licence(String tenantId, String userId, boolean licensed) {
        em.createNativeQuery("insert into user_licence (tenant_id, user_id, licensed) values (?1, ?2, ?3)"
                        + " on conflict (tenant_id, user_id) do update set licensed = excluded.licensed")
                .setParameter(1, tenantId)
                .setParameter(2, userId)
                .setParameter(3, licensed)
                .executeUpdate();
    }

    void membership(String tenantId, String kind, String groupId, String memberId, boolean added) {
        String sql = added
                ? "insert into group_member (tenant_id, kind, group_id, member_id) values (?1, ?2, ?3, ?4)"
                        + " on conflict do nothing"
                : "delete from group_member where tenant_id = ?1 and kind = ?2 and group_id = ?3 and member_id = ?4";
        em.createNativeQuery(sql)
                .setParameter(1, tenantId)
                .setParameter(2, kind)
                .setParameter(3, groupId)
                .setParameter(4, memberId)
                .executeUpdate();
    }

    public Optional<ManagedDevice> device(String tenantId, String deviceId) {
        return devices(
                        "select tenant_id, device_id, user_id, platform, active from managed_device"
                                + " where tenant_id = ?1 and device_id = ?2",
                        tenantId,
                        deviceId)
                .stream()
                .findFirst();
    }

    /** Every active managed device of the tenant. */
    public List<ManagedDevice> activeDevices(String tenantId) {
        return devices(
                "select tenant_id, device_id, user_id, platform, active from managed_device"
                        + " where tenant_id = ?1 and active",
                tenantId,
                null);
    }

    /** The user's active managed devices. */
    public List<ManagedDevice> activeDevicesOf(String tenantId, String userId) {
        return devices(
                "select tenant_id, device_id, user_id, platform, active from managed_device"
                        + " where tenant_id = ?1 and user_id = ?2 and active order by device_id",
                tenantId,
                userId);
    }

    public Optional<AppInstance> appInstance(String tenantId, String registrationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select user_id, app_id, platform from app_instance where tenant_id = ?1 and registration_id = ?2")
                .setParameter(1, tenantId)
                .setParameter(2, registrationId)
                .getResultList();
        return rows.stream()
                .findFirst()
                .map(r -> new AppInstance(tenantId, registrationId, (String) r[0], (String) r[1], (String) r[2]));
    }

    /** Those of {@code userIds} who hold a licence. */
    public Set<String> licensed(String tenantId, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Set.of();
        }
        if (userIds.size() > LARGE) {
            // a whole-tenant fan-out: one scan beats a statement with thousands of parameters
            @SuppressWarnings("unchecked")
            List<String> all = em.createNativeQuery(
                            "select user_id from user_licence where tenant_id = ?1 and licensed")
                    .setParameter(1, tenantId)
                    .getResultList();
            Set<String> wanted = new HashSet<>(userIds);
            Set<String> licensed = new HashSet<>(all);
            licensed.retainAll(wanted);
            return licensed;
        }
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery(
                        "select user_id from user_licence where tenant_id = ?1 and licensed and user_id in (?2)")
                .setParameter(1, tenantId)
                .setParameter(2, userIds)
                .getResultList();
        return new HashSet<>(rows);
    }

    /** The groups of {@code kind} each of {@code memberIds} is in; members in no group are absent. */
    public Map<String, Set<String>> groupsOf(String tenantId, String kind, Collection<String> memberIds) {
        Map<String, Set<String>> groups = new HashMap<>();
        if (memberIds.isEmpty()) {
            return groups;
        }
        boolean large = memberIds.size() > LARGE;
        var query = em.createNativeQuery("select member_id, group_id from group_member where tenant_id = ?1"
                        + " and kind = ?2" + (large ? "" : " and member_id in (?3)"))
                .setParameter(1, tenantId)
                .setParameter(2, kind);
        if (!large) {
            query.setParameter(3, memberIds);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        Set<String> wanted = large ? new HashSet<>(memberIds) : Set.of();
        for (Object[] row : rows) {
            if (!large || wanted.contains((String) row[0])) {
                groups.computeIfAbsent((String) row[0], m -> new HashSet<>()).add((String) row[1]);
            }
        }
        return groups;
    }

    private List<ManagedDevice> devices(String sql, String tenantId, String second) {
        var query = em.createNativeQuery(sql).setParameter(1, tenantId);
        if (second != null) {
            query.setParameter(2, second);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream()
                .map(r -> new ManagedDevice((String) r[0], (String) r[1], (String) r[2], (String) r[3], (Boolean) r[4]))
                .toList();
    }
}
