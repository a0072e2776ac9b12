package dev.bulwark.compliance.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.compliance.subject.SubjectState;
import java.util.Optional;

/** The access decision as the REST API returns it. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record AccessView(
        String subjectId,
        Optional<String> resource,
        AccessDecision decision,
        String message,
        Optional<SubjectState> state) {}
