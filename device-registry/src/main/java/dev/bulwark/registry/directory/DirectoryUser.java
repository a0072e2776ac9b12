package dev.bulwark.registry.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A user of a tenant's directory: the identity devices are enrolled for and apps sign in with, and their licence. */
@Entity
@Table(name = "directory_user")
@IdClass(DirectoryUser.Key.class)
public class DirectoryUser {

    /** User ids are chosen by the tenant (often its identity provider's), so they are unique per tenant only. */
    public static class Key implements Serializable {
        public String tenantId;
        public String userId;

        public Key() {}

        public Key(String tenantId, String userId) {
            this.tenantId = tenantId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.tenantId.equals(tenantId) && key.userId.equals(userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, userId);
        }
    }

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "user_id")
    public String userId;

    @Column(name = "display_name")
    public String displayName;

    public String email;

    public boolean licensed;

    /** The licence product; null while the user is unlicensed. */
    public String sku;

    /** False while the account is disabled: the user stays in the directory, but app protection blocks or wipes. */
    public boolean enabled = true;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
}
