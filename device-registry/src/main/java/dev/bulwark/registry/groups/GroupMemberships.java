package dev.bulwark.registry.groups;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.registry.directory.Directory;
import dev.bulwark.registry.managed.DeviceRetirement;
import dev.bulwark.registry.managed.ManagedDevices;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Adds and removes group members, each change with its GroupMembershipChanged event (topic bulwark.directory.v1, key
 * memberId) in the same transaction. Adding a member twice or removing one that is not there changes nothing.
 */
@ApplicationScoped
public class GroupMemberships {

    private final EntityManager entityManager;
    private final Outbox outbox;
    private final Directory directory;
    private final ManagedDevices devices;

    GroupMemberships(EntityManager entityManager, Outbox outbox, Directory directory, ManagedDevices devices) {
        this.entityManager = entityManager;
        this.outbox = outbox;
        this.directory = directory;
        this.devices = devices;
    }

    /**
     * Adds {@code memberId} to the group; false if it was already a member.
     *
     * @throws ProblemException 422 naming {@code memberId} when it is not a user (USER group) or an active enrolled
     *     device (DEVICE group) of the tenant
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean add(DirectoryGroup group, String memberId) {
        boolean exists =
                switch (group.kind) {
                    case USER -> directory.find(group.tenantId, memberId).isPresent();
                    case DEVICE -> devices.find(group.tenantId, memberId)
                            .filter(device -> !device.isRetired())
                            .isPresent();
                };
        if (!exists) {
            throw ProblemException.unprocessable(
                    "memberId",
                    group.kind == GroupType.USER
                            ? "no user '" + memberId + "' in this tenant's directory"
                            : "no active enrolled device '" + memberId + "' in this tenant");
        }
        return addIfAbsent(group.tenantId, group.groupId, group.kind, memberId);
    }

    /**
     * Adds a member the caller has already found to exist, and publishes GroupMembershipChanged(ADDED); false, and
     * nothing published, when it was a member already. The insert itself decides (ON CONFLICT DO NOTHING waits for a
     * concurrent insert of the same member), so concurrent adders, the admin's call and the bulk import among them,
     * publish the change once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean addIfAbsent(String tenantId, String groupId, GroupType kind, String memberId) {
        int inserted = entityManager
                .createNativeQuery("insert into group_member (tenant_id, group_id, member_id) values (?1, ?2, ?3)"
                        + " on conflict do nothing")
                .setParameter(1, tenantId)
                .setParameter(2, groupId)
                .setParameter(3, memberId)
                .executeUpdate();
        if (inserted == 0) {
            return false;
        }
        publish(tenantId, groupId, kind, memberId, MembershipChange.ADDED);
        return true;
    }

    /** Removes {@code memberId} from the group; false if it was not a member. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean remove(DirectoryGroup group, String memberId) {
        GroupMember member =
                entityManager.find(GroupMember.class, new GroupMember.Key(group.tenantId, group.groupId, memberId));
        if (member == null) {
            return false;
        }
        entityManager.remove(member);
        publish(group.tenantId, group.groupId, group.kind, memberId, MembershipChange.REMOVED);
        return true;
    }

    /** A retired device drops out of every device group, and consumers learn it as ordinary removals. */
    void onDeviceRetired(@Observes DeviceRetirement retirement) {
        List<DirectoryGroup> groups = entityManager
                .createQuery(
                        "select g from DirectoryGroup g, GroupMember m where g.tenantId = :tenant"
                                + " and m.tenantId = g.tenantId and m.groupId = g.groupId and m.memberId = :member"
                                + " and g.kind = :kind",
                        DirectoryGroup.class)
                .setParameter("tenant", retirement.tenantId())
                .setParameter("member", retirement.deviceId())
                .setParameter("kind", GroupType.DEVICE)
                .getResultList();
        groups.forEach(group -> remove(group, retirement.deviceId()));
    }

    private void publish(String tenantId, String groupId, GroupType kind, String memberId, MembershipChange change) {
        outbox.append(
                Topics.DIRECTORY,
                memberId,
                GroupMembershipChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenantId)
                        .setGroupId(groupId)
                        .setGroupKind(kind.toEvent())
                        .setMemberId(memberId)
                        .setChange(change)
                        .build());
    }
}
