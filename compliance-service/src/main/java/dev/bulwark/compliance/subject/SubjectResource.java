package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.remediation.RemediationDeadline;
import dev.bulwark.compliance.remediation.RemediationDeadlines;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/subjects/{id}}: a subject's compliance state, for the tenant's admins and services. */
@Path("/api/v1/subjects")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subjects", description = "Compliance state per managed device or unmanaged app instance")
public class SubjectResource {

    private final Caller caller;
    private final ComplianceSubjects subjects;
    private final RemediationDeadlines deadlines;
    private final JsonColumns json;

    SubjectResource(Caller caller, ComplianceSubjects subjects, RemediationDeadlines deadlines, JsonColumns json) {
        this.caller = caller;
        this.subjects = subjects;
        this.deadlines = deadlines;
        this.json = json;
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(
            summary = "A subject's compliance state",
            description = "The state (COMPLIANT, NON_COMPLIANT_REMEDIATING, SIGNED_OUT), the rules it breaks, since"
                    + " when, and the remediation deadline while one runs. The subject id is a deviceId (managed) or a"
                    + " registrationId (unmanaged).")
    @APIResponse(responseCode = "200", description = "The subject's state")
    @APIResponse(responseCode = "404", description = "No such subject in the caller's tenant")
    public SubjectView get(@PathParam("id") @Size(max = Limits.ID) String subjectId) {
        String tenantId = caller.tenantId();
        ComplianceSubject subject = subjects.find(tenantId, subjectId)
                .orElseThrow(() -> ProblemException.notFound("No compliance state for subject " + subjectId + "."));
        return new SubjectView(
                subject.subjectId(),
                subject.managementType(),
                subject.userId(),
                subject.state(),
                json.violations(subject.violationsJson()),
                subject.since(),
                deadlines.pendingRemediation(tenantId, subjectId).map(RemediationDeadline::dueAt));
    }
}
