package dev.bulwark.compliance.remediation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
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
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "remediation_deadline_id")
    @SequenceGenerator(
            name = "remediation_deadline_id",
            sequenceName = "remediation_deadline_id_seq",
            allocationSize = 50) // V22
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

    /** SIGN_OUT (the remediation deadline), or a compliance policy's later step BLOCK or RETIRE. */
    @Column(name = "step", nullable = false, updatable = false)
    private String step = SIGN_OUT;

    /** When the policy's BLOCK step is due, scheduled once this one fires; null when it has none. */
    @Column(name = "block_at", updatable = false)
    private Instant blockAt;

    /** When the policy's RETIRE step is due; null when it has none. */
    @Column(name = "retire_at", updatable = false)
    private Instant retireAt;

    /** The step of a remediation deadline: its firing signs the subject out. */
    public static final String SIGN_OUT = "SIGN_OUT";

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

    RemediationDeadline(
            String tenantId,
            String subjectId,
            String step,
            Instant dueAt,
            Optional<Instant> blockAt,
            Optional<Instant> retireAt,
            String attemptId,
            Optional<String> causeEventId,
            Instant now) {
        this(tenantId, subjectId, dueAt, attemptId, causeEventId, now);
        this.step = step;
        this.blockAt = blockAt.orElse(null);
        this.retireAt = retireAt.orElse(null);
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

    public String step() {
        return step;
    }

    public Optional<Instant> blockAt() {
        return Optional.ofNullable(blockAt);
    }

    public Optional<Instant> retireAt() {
        return Optional.ofNullable(retireAt);
    }

    public Optional<String> causeEventId() {
        return Optional.ofNullable(causeEventId);
    }
}
