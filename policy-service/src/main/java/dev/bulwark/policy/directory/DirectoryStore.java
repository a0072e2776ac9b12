package dev.bulwark.policy.directory;

import static dev.bulwark.policy.support.Columns.instant;

import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.policy.support.AfterCommit;
import dev.bulwark.policy.support.Stamped;
import dev.bulwark.policy.targeting.TargetKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Keeps the licence and group-membership rows learned from directory events, and the in-memory {@link DirectoryState}
 * in step with them. An event older than the row's last change (by occurredAt) is ignored, so redelivery or
 * reordering never undoes a newer change.
 */
@ApplicationScoped
public class DirectoryStore {

    private final EntityManager entityManager;
    private final DirectoryState state;
    private final AfterCommit afterCommit;

    DirectoryStore(EntityManager entityManager, DirectoryState state, AfterCommit afterCommit) {
        this.entityManager = entityManager;
        this.state = state;
        this.afterCommit = afterCommit;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void licenceChanged(UserLicenseChanged event) {
        entityManager
                .createNativeQuery("insert into user_licence (tenant_id, user_id, licensed, sku, changed_at)"
                        + " values (?1, ?2, ?3, ?4, ?5)"
                        + " on conflict (tenant_id, user_id) do update set licensed = excluded.licensed,"
                        + " sku = excluded.sku, changed_at = excluded.changed_at, touched_at = clock_timestamp()"
                        + " where user_licence.changed_at <= excluded.changed_at")
                .setParameter(1, event.getTenantId())
                .setParameter(2, event.getUserId())
                .setParameter(3, event.getLicensed())
                .setParameter(4, event.getSku())
                .setParameter(5, Timestamp.from(event.getOccurredAt()))
                .executeUpdate();
        Stamped<Boolean> licence = new Stamped<>(event.getLicensed(), event.getOccurredAt());
        afterCommit.run(() -> state.licence(event.getTenantId(), event.getUserId(), licence));
    }

    /**
     * @throws IllegalArgumentException for a group kind or change this version does not know (the record then goes to
     *     the dead-letter topic rather than being half-applied)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void membershipChanged(GroupMembershipChanged event) {
        TargetKind kind = kindOf(event.getGroupKind());
        if (event.getChange() != MembershipChange.ADDED && event.getChange() != MembershipChange.REMOVED) {
            throw new IllegalArgumentException("membership change " + event.getChange() + " of event "
                    + event.getEventId() + " is neither ADDED nor REMOVED");
        }
        boolean member = event.getChange() == MembershipChange.ADDED;
        entityManager
                .createNativeQuery(
                        "insert into group_membership (tenant_id, group_id, group_kind, member_id, member, changed_at)"
                                + " values (?1, ?2, ?3, ?4, ?5, ?6)"
                                + " on conflict (tenant_id, group_id, member_id) do update set member = excluded.member,"
                                + " group_kind = excluded.group_kind, changed_at = excluded.changed_at,"
                                + " touched_at = clock_timestamp()"
                                + " where group_membership.changed_at <= excluded.changed_at")
                .setParameter(1, event.getTenantId())
                .setParameter(2, event.getGroupId())
                .setParameter(3, kind.name())
                .setParameter(4, event.getMemberId())
                .setParameter(5, member)
                .setParameter(6, Timestamp.from(event.getOccurredAt()))
                .executeUpdate();
        Stamped<Boolean> stamped = new Stamped<>(member, event.getOccurredAt());
        afterCommit.run(
                () -> state.membership(event.getTenantId(), event.getGroupId(), kind, event.getMemberId(), stamped));
    }

    /** Loads every row touched after {@code since} into the in-memory state; returns how many. */
    @Transactional
    public int catchUp(Instant since) {
        Timestamp from = Timestamp.from(since);
        @SuppressWarnings("unchecked")
        List<Object[]> licences = entityManager
                .createNativeQuery(
                        "select tenant_id, user_id, licensed, changed_at from user_licence" + " where touched_at > ?1")
                .setParameter(1, from)
                .getResultList();
        for (Object[] row : licences) {
            state.licence((String) row[0], (String) row[1], new Stamped<>((Boolean) row[2], instant(row[3])));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> memberships = entityManager
                .createNativeQuery("select tenant_id, group_id, group_kind, member_id, member, changed_at"
                        + " from group_membership where touched_at > ?1")
                .setParameter(1, from)
                .getResultList();
        for (Object[] row : memberships) {
            state.membership(
                    (String) row[0],
                    (String) row[1],
                    TargetKind.valueOf((String) row[2]),
                    (String) row[3],
                    new Stamped<>((Boolean) row[4], instant(row[5])));
        }
        return licences.size() + memberships.size();
    }

    private static TargetKind kindOf(GroupKind kind) {
        return switch (kind) {
            case USER -> TargetKind.USER_GROUP;
            case DEVICE -> TargetKind.DEVICE_GROUP;
            default -> throw new IllegalArgumentException("unknown group kind " + kind);
        };
    }
}
