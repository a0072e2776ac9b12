package dev.bulwark.compliance.access;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Which conditional-access rule denied a resource, and why: {@code grant} is the first grant the subject does not meet
 * (the one the user message leads with), {@code unmetGrants} every grant it does not meet (for REQUIRE_ONE, all of
 * them: meeting any one would do).
 */
@Schema(description = "The conditional-access rule that denied the resource")
public record AccessDenial(
        @Schema(description = "The rule's id at policy-service (/api/v1/conditional-access-rules/{id})") String ruleId,
        @Schema(description = "The rule's display name") String ruleName,
        @Schema(description = "The resource the rule names (\"*\" = every resource)") String resource,
        @Schema(description = "REQUIRE_ALL: every grant is needed; REQUIRE_ONE: any one is enough")
                GrantOperator operator,
        @Schema(description = "The first grant the subject does not meet") Grant grant,
        @Schema(description = "Every grant of the rule the subject does not meet") List<Grant> unmetGrants) {

    public AccessDenial {
        unmetGrants = List.copyOf(unmetGrants);
    }
}
