package dev.bulwark.compliance.access;

import dev.bulwark.compliance.projection.AppInstance;
import dev.bulwark.compliance.projection.AppInstances;
import dev.bulwark.compliance.projection.ManagedDevice;
import dev.bulwark.compliance.projection.ManagedDevices;
import dev.bulwark.compliance.remediation.RemediationDeadline;
import dev.bulwark.compliance.remediation.RemediationDeadlines;
import dev.bulwark.compliance.subject.ComplianceSubject;
import dev.bulwark.compliance.subject.ComplianceSubjects;
import dev.bulwark.compliance.support.JsonColumns;
import dev.bulwark.events.ManagementType;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v1/access}: may a subject (a managed device or an unmanaged app instance) reach a resource now? Admins
 * and services ask for any subject of their tenant; a user only for their own subjects, a device's agent only for
 * itself.
 */
@Path("/api/v1/access")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "access", description = "The access decision for a subject and a resource")
public class AccessResource {

    private final Caller caller;
    private final ComplianceSubjects subjects;
    private final ManagedDevices devices;
    private final AppInstances appInstances;
    private final RemediationDeadlines deadlines;
    private final JsonColumns json;
    private final Clock clock;

    AccessResource(
            Caller caller,
            ComplianceSubjects subjects,
            ManagedDevices devices,
            AppInstances appInstances,
            RemediationDeadlines deadlines,
            JsonColumns json,
            Clock clock) {
        this.clock = clock;
        this.caller = caller;
        this.subjects = subjects;
        this.devices = devices;
        this.appInstances = appInstances;
        this.deadlines = deadlines;
        this.json = json;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE, Roles.USER, Roles.DEVICE})
    @Operation(
            summary = "The access decision for a subject",
            description = "ALLOW when the subject meets its rules; BLOCK while it is being remediated, is blocked by a"
                    + " policy (disabled account, a compliance policy's BLOCK step), is retired, has not reported yet,"
                    + " or (an app instance) has been offline longer than its policy's offline period before an access"
                    + " check; SIGNED_OUT when its account was signed out and must sign in again. The"
                    + " message is meant for the user.")
    @APIResponse(responseCode = "200", description = "The decision")
    @APIResponse(responseCode = "400", description = "subjectId missing")
    @APIResponse(responseCode = "403", description = "A user or device asking about a subject that is not theirs")
    @APIResponse(responseCode = "404", description = "No such subject in the caller's tenant")
    public AccessView decide(
            @Parameter(description = "deviceId (managed) or registrationId (unmanaged)", required = true)
                    @QueryParam("subjectId")
                    @Size(max = Limits.ID)
                    String subjectId,
            @Parameter(description = "The resource asked for, e.g. an app id; all resources share the baseline today")
                    @QueryParam("resource")
                    @Size(max = Limits.NAME)
                    String resource) {
        if (subjectId == null || subjectId.isBlank()) {
            throw ProblemException.badRequest("subjectId", "is required");
        }
        String tenantId = caller.tenantId();
        Optional<ComplianceSubject> subject = subjects.find(tenantId, subjectId);
        Optional<ManagedDevice> device = devices.find(tenantId, subjectId);
        Optional<AppInstance> appInstance =
                device.isPresent() ? Optional.empty() : appInstances.find(tenantId, subjectId);
        String owner = subject.map(ComplianceSubject::userId)
                .or(() -> device.map(ManagedDevice::userId))
                .or(() -> appInstance.map(AppInstance::userId))
                .orElseThrow(() -> ProblemException.notFound("No subject " + subjectId + " is known."));
        ensureMayAsk(subjectId, owner);

        AccessVerdict verdict;
        if (device.filter(ManagedDevice::isRetired).isPresent()) {
            verdict = AccessRules.retired();
        } else if (subject.isPresent()) {
            ComplianceSubject known = subject.get();
            verdict = AccessRules.decide(
                    known.managementType(),
                    known.state(),
                    json.violations(known.violationsJson()),
                    deadlines.pendingRemediation(tenantId, subjectId).map(RemediationDeadline::dueAt));
        } else {
            verdict = AccessRules.notYetEvaluated(
                    appInstance.isPresent() ? ManagementType.UNMANAGED : ManagementType.MANAGED);
        }
        Optional<Instant> accessCheckAt = appInstance.flatMap(AppInstance::offlineAccessCheckAt);
        if (verdict.decision() != AccessDecision.SIGNED_OUT
                && accessCheckAt.filter(at -> at.isBefore(clock.instant())).isPresent()) {
            // offline longer than the policy's period before an access check: a fresh check-in is needed first
            verdict = AccessRules.offlineTooLong(
                    appInstance.get().lastReportedAt().orElseThrow());
        }
        return new AccessView(
                subjectId,
                Optional.ofNullable(resource).filter(r -> !r.isBlank()),
                verdict.decision(),
                verdict.message(),
                subject.map(ComplianceSubject::state));
    }

    private void ensureMayAsk(String subjectId, String owner) {
        if (caller.isAdmin() || caller.hasRole(Roles.SERVICE)) {
            return;
        }
        if (caller.hasRole(Roles.DEVICE)
                && caller.deviceId().filter(subjectId::equals).isPresent()) {
            return;
        }
        if (caller.hasRole(Roles.USER) && owner.equals(caller.subject())) {
            return;
        }
        throw ProblemException.forbidden("Only the subject's own user or device, an admin or a service may ask.");
    }
}
