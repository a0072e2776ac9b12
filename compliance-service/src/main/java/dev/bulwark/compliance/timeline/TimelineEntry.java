package dev.bulwark.compliance.timeline;

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
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/** One appended line of a subject's timeline: when, what kind of change, and the details that explain it. */
@Entity
@Immutable
@Table(name = "subject_timeline")
public class TimelineEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "subject_timeline_id")
    @SequenceGenerator(
            name = "subject_timeline_id",
            sequenceName = "subject_timeline_id_seq",
            allocationSize = 50) // V20
    private Long id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId;

    @Column(name = "subject_id", nullable = false)
    private String subjectId;

    @Column(name = "occurred_at", nullable = false)
    private Instant at;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false)
    private TimelineKind kind;

    @Column(name = "detail", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String detail;

    protected TimelineEntry() {}

    TimelineEntry(String tenantId, String subjectId, Instant at, TimelineKind kind, String detail) {
        this.tenantId = tenantId;
        this.subjectId = subjectId;
        this.at = at;
        this.kind = kind;
        this.detail = detail;
    }

    public Instant at() {
        return at;
    }

    public TimelineKind kind() {
        return kind;
    }

    public String detailJson() {
        return detail;
    }
}
