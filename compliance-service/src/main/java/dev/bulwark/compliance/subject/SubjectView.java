package dev.bulwark.compliance.subject;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.events.ManagementType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A subject's compliance state as the REST API shows it. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record SubjectView(
        String subjectId,
        ManagementType managementType,
        String userId,
        SubjectState state,
        List<Violation> violations,
        Instant since,
        Optional<Instant> remediationDueAt) {}
