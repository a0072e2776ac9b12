package dev.bulwark.compliance.subject;

import dev.bulwark.events.ManagementType;
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
import org.hibernate.annotations.ColumnTransformer;

/** The stored compliance state of one subject of one tenant. Its violations are kept as a json column. */
@Entity
@Table(name = "compliance_subject")
public class ComplianceSubject {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "compliance_subject_id")
    @SequenceGenerator(
            name = "compliance_subject_id",
            sequenceName = "compliance_subject_id_seq",
            allocationSize = 50) // V20
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private String tenantId;

    @Column(name = "subject_id", nullable = false, updatable = false)
    private String subjectId;

    @Enumerated(EnumType.STRING)
    @Column(name = "management_type", nullable = false, updatable = false)
    private ManagementType managementType;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "app_id", updatable = false)
    private String appId;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private SubjectState state;

    @Column(name = "violations", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String violations;

    @Column(name = "since", nullable = false)
    private Instant since;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ComplianceSubject() {}

    ComplianceSubject(SubjectRef ref, SubjectState state, String violations, Instant now) {
        this.tenantId = ref.tenantId();
        this.subjectId = ref.subjectId();
        this.managementType = ref.managementType();
        this.userId = ref.userId();
        this.appId = ref.appId().orElse(null);
        this.state = state;
        this.violations = violations;
        this.since = now;
        this.updatedAt = now;
    }

    /** Moves to {@code next}; {@code since} only moves when the state itself changes. */
    void moveTo(SubjectState next, String nextViolations, Instant now) {
        if (next != state) {
            since = now;
        }
        state = next;
        violations = nextViolations;
        updatedAt = now;
    }

    void reassignUser(String newUserId) {
        this.userId = newUserId;
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

    public ManagementType managementType() {
        return managementType;
    }

    public String userId() {
        return userId;
    }

    public SubjectState state() {
        return state;
    }

    public String violationsJson() {
        return violations;
    }

    public Instant since() {
        return since;
    }

    public SubjectRef ref() {
        return new SubjectRef(tenantId, subjectId, managementType, userId, Optional.ofNullable(appId));
    }
}
