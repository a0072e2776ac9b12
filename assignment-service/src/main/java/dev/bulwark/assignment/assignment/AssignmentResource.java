package dev.bulwark.assignment.assignment;

import dev.bulwark.assignment.catalogue.Catalogue;
import dev.bulwark.assignment.catalogue.CatalogueApp;
import dev.bulwark.assignment.managed.ManagedInstalls;
import dev.bulwark.assignment.targeting.Intent;
import dev.bulwark.assignment.targeting.TargetKind;
import dev.bulwark.assignment.targeting.TargetLine;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The admin's assignments of one app: intent × include/exclude targets. Every change is checked against the
 * management-model rules first, then written with its AssignmentChanged event and the install/uninstall commands it
 * causes in one transaction, so nothing is ever half-written.
 */
@Path("/api/v1/apps/{appId}/assignments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Assignments")
@RolesAllowed(Roles.ADMIN)
public class AssignmentResource {

    /** One target line: ALL_LICENSED_USERS and ALL_DEVICES take no groupId; the group kinds need one. */
    public record TargetRequest(@NotNull TargetKind kind, @Size(max = Limits.ID) String groupId, boolean excluded) {}

    /** What an admin sends to create or replace an assignment. */
    public record AssignmentRequest(
            @NotNull Intent intent, @NotEmpty @Size(max = Limits.LIST) List<@Valid @NotNull TargetRequest> targets) {}

    /** An assignment as the API shows it. */
    public record AssignmentView(
            String assignmentId, String appId, Intent intent, long version, List<TargetRequest> targets) {
        static AssignmentView of(StoredAssignment a) {
            return new AssignmentView(
                    a.assignmentId(),
                    a.appId(),
                    a.intent(),
                    a.version(),
                    a.targets().stream()
                            .map(t -> new TargetRequest(
                                    t.kind(), t.groupId().isEmpty() ? null : t.groupId(), t.excluded()))
                            .toList());
        }
    }

    private final Caller caller;
    private final Catalogue catalogue;
    private final Assignments assignments;
    private final Outbox outbox;
    private final ManagedInstalls managedInstalls;

    AssignmentResource(
            Caller caller,
            Catalogue catalogue,
            Assignments assignments,
            Outbox outbox,
            ManagedInstalls managedInstalls) {
        this.caller = caller;
        this.catalogue = catalogue;
        this.assignments = assignments;
        this.outbox = outbox;
        this.managedInstalls = managedInstalls;
    }

    @GET
    @Operation(summary = "The app's assignments")
    public List<AssignmentView> list(@PathParam("appId") @Size(max = Limits.ID) String appId) {
        String tenant = caller.tenantId();
        catalogue.require(tenant, appId);
        return assignments.ofApp(tenant, appId).stream().map(AssignmentView::of).toList();
    }

    @GET
    @Path("{assignmentId}")
    @Operation(summary = "One assignment")
    public AssignmentView get(
            @PathParam("appId") @Size(max = Limits.ID) String appId,
            @PathParam("assignmentId") @Size(max = Limits.ID) String assignmentId) {
        return AssignmentView.of(require(caller.tenantId(), appId, assignmentId));
    }

    @POST
    @Transactional
    @Operation(
            summary = "Assign the app",
            description = "409 if a target already carries another intent for this app; 422 if the assignment could"
                    + " only ever act on unmanaged devices with REQUIRED or UNINSTALL.")
    public Response create(
            @PathParam("appId") @Size(max = Limits.ID) String appId, @Valid @NotNull AssignmentRequest request) {
        String tenant = caller.tenantId();
        CatalogueApp app = catalogue.require(tenant, appId);
        String id = "asg-" + UUID.randomUUID();
        List<TargetLine> lines = validated(app, request, id);
        StoredAssignment stored = new StoredAssignment(tenant, id, appId, request.intent(), 1, lines);
        assignments.insert(stored);
        outbox.append(Topics.ASSIGNMENTS, appId, AssignmentEvents.changed(stored, ChangeKind.CREATED));
        managedInstalls.reconcileApp(tenant, appId, "assignment " + id);
        return Response.created(URI.create("/api/v1/apps/" + appId + "/assignments/" + id))
                .entity(AssignmentView.of(stored))
                .build();
    }

    @PUT
    @Path("{assignmentId}")
    @Transactional
    @Operation(summary = "Replace an assignment's intent and targets")
    public AssignmentView replace(
            @PathParam("appId") @Size(max = Limits.ID) String appId,
            @PathParam("assignmentId") @Size(max = Limits.ID) String assignmentId,
            @Valid @NotNull AssignmentRequest request) {
        String tenant = caller.tenantId();
        CatalogueApp app = catalogue.require(tenant, appId);
        StoredAssignment current = require(tenant, appId, assignmentId);
        List<TargetLine> lines = validated(app, request, assignmentId);
        StoredAssignment next =
                new StoredAssignment(tenant, assignmentId, appId, request.intent(), current.version() + 1, lines);
        assignments.replace(next);
        outbox.append(Topics.ASSIGNMENTS, appId, AssignmentEvents.changed(next, ChangeKind.UPDATED));
        managedInstalls.reconcileApp(tenant, appId, "assignment " + assignmentId);
        return AssignmentView.of(next);
    }

    @DELETE
    @Path("{assignmentId}")
    @Transactional
    @Operation(summary = "Delete an assignment (nothing is uninstalled by the deletion itself)")
    public Response delete(
            @PathParam("appId") @Size(max = Limits.ID) String appId,
            @PathParam("assignmentId") @Size(max = Limits.ID) String assignmentId) {
        String tenant = caller.tenantId();
        StoredAssignment current = require(tenant, appId, assignmentId);
        assignments.delete(tenant, assignmentId);
        StoredAssignment gone = new StoredAssignment(
                tenant, assignmentId, appId, current.intent(), current.version() + 1, current.targets());
        outbox.append(Topics.ASSIGNMENTS, appId, AssignmentEvents.changed(gone, ChangeKind.DELETED));
        managedInstalls.reconcileApp(tenant, appId, "assignment " + assignmentId + " deleted");
        return Response.noContent().build();
    }

    private StoredAssignment require(String tenant, String appId, String assignmentId) {
        catalogue.require(tenant, appId);
        return assignments
                .find(tenant, appId, assignmentId)
                .orElseThrow(
                        () -> ProblemException.notFound("No assignment " + assignmentId + " of app " + appId + "."));
    }

    /** Checks everything before a single row is written; the refusals are 400, 422 and 409 problems. */
    private List<TargetLine> validated(CatalogueApp app, AssignmentRequest request, String assignmentId) {
        List<TargetLine> lines =
                request.targets().stream().map(AssignmentResource::line).toList();
        for (int i = 0; i < lines.size(); i++) {
            TargetLine line = lines.get(i);
            String field = "targets[" + i + "]";
            if (line.kind().isGroup() && line.groupId().isBlank()) {
                throw ProblemException.badRequest(field + ".groupId", "a " + line.kind() + " target needs a groupId");
            }
            if (!line.kind().isGroup() && !line.groupId().isEmpty()) {
                throw ProblemException.badRequest(field + ".groupId", line.kind() + " takes no groupId");
            }
            if (!line.kind().isGroup() && line.excluded()) {
                throw ProblemException.badRequest(
                        field + ".excluded", "only groups can be excluded, not " + line.kind());
            }
        }
        Set<String> seen = new HashSet<>();
        for (TargetLine line : lines) {
            if (!seen.add(line.kind() + "/" + line.groupId())) {
                throw ProblemException.badRequest(
                        "targets", "the target " + line.kind() + " " + line.groupId() + " is named twice");
            }
        }
        if (lines.stream().allMatch(TargetLine::excluded)) {
            throw ProblemException.badRequest("targets", "an assignment needs at least one included target");
        }
        ManagementModel.check(app.distribution, request.intent(), lines).ifPresent(refusal -> {
            throw ProblemException.unprocessable(refusal.field(), refusal.detail());
        });
        for (TargetLine line : lines) {
            if (line.excluded()) {
                continue;
            }
            assignments.holderOf(app.tenantId, app.appId, line, assignmentId).ifPresent(other -> {
                throw ProblemException.conflict("The target " + line.kind()
                        + (line.groupId().isEmpty() ? "" : " " + line.groupId())
                        + " already carries an intent for app " + app.appId + " in assignment " + other
                        + "; one group carries one intent per app.");
            });
        }
        return lines;
    }

    private static TargetLine line(TargetRequest request) {
        String group = request.groupId() == null ? "" : request.groupId().trim();
        return new TargetLine(request.kind(), group, request.excluded());
    }
}
