package dev.bulwark.registry.groups;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One user (USER group) or device (DEVICE group) in a group. */
@Entity
@Table(name = "group_member")
@IdClass(GroupMember.Key.class)
public class GroupMember {

    /** A member is in a group once. */
    public static class Key implements Serializable {
        public String tenantId;
        public String groupId;
        public String memberId;

        public Key() {}

        public Key(String tenantId, String groupId, String memberId) {
            this.tenantId = tenantId;
            this.groupId = groupId;
            this.memberId = memberId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && key.tenantId.equals(tenantId)
                    && key.groupId.equals(groupId)
                    && key.memberId.equals(memberId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, groupId, memberId);
        }
    }

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "group_id")
    public String groupId;

    @Id
    @Column(name = "member_id")
    public String memberId;

    @Column(name = "added_at", insertable = false, updatable = false)
    public Instant addedAt;
}
