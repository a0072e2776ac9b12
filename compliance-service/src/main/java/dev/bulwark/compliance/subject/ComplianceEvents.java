package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.remediation.RemediationSteps;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Builds the events compliance-service publishes from a subject and the effect of a transition. */
final class ComplianceEvents {

    /**
     * The remediation action of the baseline: no command is sent, the subject is given until the deadline to comply by
     * itself (the access decision tells the user what to fix). Remediation ladders will name real device or app
     * commands here, with the command's id as the attempt id.
     */
    static final String GRACE_PERIOD = "GRACE_PERIOD";

    private ComplianceEvents() {}

    static ComplianceFailed failed(SubjectRef subject, Effect.Failed failed, Optional<String> cause, Instant now) {
        return ComplianceFailed.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(subject.tenantId())
                .setSubjectId(subject.subjectId())
                .setManagementType(subject.managementType())
                .setUserId(subject.userId())
                .setViolations(ruleViolations(failed.violations()))
                .setRemediationEnabled(failed.remediationEnabled())
                .setRemediationDeadline(failed.remediationDueAt().orElse(null))
                .setCauseEventId(cause.orElse(null))
                .build();
    }

    static RemediationAttempted attempt(
            SubjectRef subject,
            RemediationSteps.Step step,
            Instant dueAt,
            RemediationStatus status,
            Optional<String> detail,
            Instant now) {
        return RemediationAttempted.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(subject.tenantId())
                .setSubjectId(subject.subjectId())
                .setManagementType(subject.managementType())
                .setUserId(subject.userId())
                .setAttemptId(step.attemptId())
                .setAction(step.action())
                .setStatus(status)
                .setDeadline(dueAt)
                .setDetail(detail.orElse(null))
                .build();
    }

    /** Signs the account out of the subject's app, or of every protected app on a device (empty appIds). */
    static SignOutRequired signOut(SubjectRef subject, Effect.SignOut signOut, Optional<String> cause, Instant now) {
        return SignOutRequired.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(subject.tenantId())
                .setUserId(subject.userId())
                .setSubjectId(subject.subjectId())
                .setManagementType(subject.managementType())
                .setAppIds(subject.signOutAppIds())
                .setReason(signOut.reason())
                // a retired device keeps no corporate data; a non-compliant one keeps it until it complies again,
                // unless the policy's action for a rule it breaks is to wipe
                .setSelectiveWipe(signOut.reason() == SignOutReason.DEVICE_RETIRED
                        || signOut.violations().stream().anyMatch(Violation::wipe))
                .setUserMessage(UserMessages.signOut(subject.managementType(), signOut.reason(), signOut.violations()))
                .setViolations(ruleViolations(signOut.violations()))
                .setCauseEventId(cause.orElse(null))
                .build();
    }

    static ComplianceRestored restored(SubjectRef subject, Optional<String> cause, Instant now) {
        return ComplianceRestored.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(subject.tenantId())
                .setSubjectId(subject.subjectId())
                .setManagementType(subject.managementType())
                .setUserId(subject.userId())
                .setCauseEventId(cause.orElse(null))
                .build();
    }

    static List<RuleViolation> ruleViolations(List<Violation> violations) {
        return violations.stream()
                .map(violation -> RuleViolation.newBuilder()
                        .setRule(violation.rule())
                        .setExpected(violation.expected())
                        .setActual(violation.actual())
                        // the built-in baseline is no policy (null)
                        .setPolicyId(violation.policyId().orElse(null))
                        .build())
                .toList();
    }
}
