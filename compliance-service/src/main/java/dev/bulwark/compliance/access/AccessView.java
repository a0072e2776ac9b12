package dev.bulwark.compliance.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.compliance.subject.SubjectState;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The access decision as the REST API returns it. */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record AccessView(
        String subjectId,
        Optional<String> resource,
        AccessDecision decision,
        @Schema(description = "For the user: why, and what to do about it") String message,
        Optional<SubjectState> state,
        @Schema(
                        description = "Present when decision is DENY: the conditional-access rule that denied this"
                                + " resource and the grant the subject does not meet")
                Optional<AccessDenial> deniedBy) {}
