package dev.bulwark.registry.groups;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A group of a tenant that assignments and policies target, holding users or devices. */
@Entity
@Table(name = "directory_group")
@IdClass(DirectoryGroup.Key.class)
public class DirectoryGroup {

    /** Group ids are unique per tenant. */
    public static class Key implements Serializable {
        public String tenantId;
        public String groupId;

        public Key() {}

        public Key(String tenantId, String groupId) {
            this.tenantId = tenantId;
            this.groupId = groupId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.tenantId.equals(tenantId) && key.groupId.equals(groupId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, groupId);
        }
    }

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "group_id")
    public String groupId;

    public String name;

    @Enumerated(EnumType.STRING)
    public GroupType kind;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
}
