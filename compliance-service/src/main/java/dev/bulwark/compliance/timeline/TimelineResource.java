package dev.bulwark.compliance.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.compliance.support.JsonColumns;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/subjects/{id}/timeline}: the "why" — every change of a subject's compliance, oldest first. */
@Path("/api/v1/subjects/{id}/timeline")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subjects")
public class TimelineResource {

    private final Caller caller;
    private final SubjectTimeline timeline;
    private final JsonColumns json;

    TimelineResource(Caller caller, SubjectTimeline timeline, JsonColumns json) {
        this.caller = caller;
        this.timeline = timeline;
        this.json = json;
    }

    /** The timeline of one subject. */
    public record TimelineView(String subjectId, List<Entry> entries) {}

    /** One change: when, what, and its details (violations, reasons, deadlines, the events published). */
    public record Entry(Instant at, TimelineKind kind, JsonNode detail) {}

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(
            summary = "Why a subject is in its state",
            description = "Every state change of the subject, oldest first: failures with the rules broken, remediation"
                    + " started and its deadline, sign-outs with their reason and user message, restorations.")
    @APIResponse(responseCode = "200", description = "The timeline")
    @APIResponse(responseCode = "404", description = "No such subject in the caller's tenant")
    public TimelineView get(@PathParam("id") @Size(max = Limits.ID) String subjectId) {
        List<Entry> entries = timeline.entries(caller.tenantId(), subjectId).stream()
                .map(entry -> new Entry(entry.at(), entry.kind(), json.tree(entry.detailJson())))
                .toList();
        if (entries.isEmpty()) {
            throw ProblemException.notFound("No compliance timeline for subject " + subjectId + ".");
        }
        return new TimelineView(subjectId, entries);
    }
}
