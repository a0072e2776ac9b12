package dev.bulwark.policy.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The stored row of a policy of any kind; the body and targets are JSON text in the REST shape. */
@Entity
@Table(name = "policy")
public class PolicyEntity {

    @Id
    String id;

    @Column(name = "tenant_id", nullable = false)
    String tenantId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    PolicyKind kind;

    @Column(nullable = false)
    String name;

    String platform;

    @Column(nullable = false)
    long version;

    @Column(nullable = false)
    String targets;

    @Column(nullable = false)
    String body;

    @Column(nullable = false)
    boolean deleted;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "touched_at", nullable = false)
    Instant touchedAt;

    protected PolicyEntity() {}

    PolicyEntity(String id, String tenantId, PolicyKind kind, Instant now) {
        this.id = id;
        this.tenantId = tenantId;
        this.kind = kind;
        this.createdAt = now;
        this.version = 0;
    }
}
