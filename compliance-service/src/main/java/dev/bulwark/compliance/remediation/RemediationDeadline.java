package dev.bulwark.compliance.remediation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * A durable remediation deadline: the subject must be compliant again by {@code dueAt}, or it is signed out. Being a
 * row, it survives restarts; being locked when it fires, it fires once even with several replicas.
 */
@Entity
@Table(name = "remediation_deadline")
public class RemediationDeadline {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "subject_id", nullable = false, updatable = false)
    private String subjectId;

    @Column(name = "due_at", nullable = false, updatable = false)
    private Instant dueAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false)
    private DeadlineStatus status;

    @Column(name = "attempt_id", nullable = false, updatable = false)
    private String attemptId;

    @Column(name = "cause_event_id", updatable = false)
    private String causeEventId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "closed_at")
    private Instant closedAt;

    protected RemediationDeadline() {}

    RemediationDeadline(
            String tenantId,
            String subjectId,
            Instant dueAt,
            String attemptId,
            Optional<String> causeEventId,
            Instant now) {
        this.tenantId = tenantId;
        this.subjectId = subjectId;
        this.dueAt = dueAt;
        this.attemptId = attemptId;
        this.status = DeadlineStatus.PENDING;
        this.causeEventId = causeEventId.orElse(null);
        this.createdAt = now;
    }

    void close(DeadlineStatus outcome, Instant now) {
        if (status != DeadlineStatus.PENDING) {
            throw new IllegalStateException("deadline " + id + " is already " + status);
        }
        status = outcome;
        closedAt = now;
    }

    public Long id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public String subjectId() {
        return subjectId;
    }

    public Instant dueAt() {
        return dueAt;
    }

    public DeadlineStatus status() {
        return status;
    }

    /** The attemptId its RemediationAttempted events carry. */
    public String attemptId() {
        return attemptId;
    }

    public Optional<String> causeEventId() {
        return Optional.ofNullable(causeEventId);
    }
}
