package dev.bulwark.compliance.remediation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * One step (command) of a remediation attempt, written only; {@link RemediationSteps#of} reads them back as values. An
 * entity so that a batch's steps go out as one JDBC batch at flush, ordered after the deadlines they belong to.
 */
@Entity
@Table(name = "remediation_step")
class RemediationStep {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "remediation_step_id")
    @SequenceGenerator(
            name = "remediation_step_id",
            sequenceName = "remediation_step_id_seq",
            allocationSize = 50) // V22
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "deadline_id", nullable = false, updatable = false)
    private RemediationDeadline deadline;

    @Column(name = "attempt_id", nullable = false, updatable = false)
    private String attemptId;

    @Column(name = "action", nullable = false, updatable = false)
    private String action;

    protected RemediationStep() {}

    RemediationStep(RemediationDeadline deadline, String attemptId, String action) {
        this.deadline = deadline;
        this.attemptId = attemptId;
        this.action = action;
    }
}
