package dev.bulwark.policy.protection;

import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tenant admins write app protection policies (MAM) here; each change publishes PolicyChanged. */
@Path("/api/v1/app-protection-policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "App protection policies")
@RolesAllowed(Roles.ADMIN)
public class AppProtectionPolicyResource {

    private final AppProtectionPolicies policies;
    private final Caller caller;

    AppProtectionPolicyResource(AppProtectionPolicies policies, Caller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create an app protection policy, optionally from a template (templateId)")
    public Response create(@Valid @NotNull AppProtectionPolicyRequest request, @Context UriInfo uri) {
        AppProtectionPolicyView created = policies.create(caller.tenantId(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @GET
    @Operation(summary = "The tenant's app protection policies")
    public List<AppProtectionPolicyView> list() {
        return policies.list(caller.tenantId());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One app protection policy")
    public AppProtectionPolicyView get(@PathParam("id") @Size(max = Limits.ID) String id) {
        return policies.get(caller.tenantId(), id);
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace an app protection policy; its version goes up by one if anything changed")
    public AppProtectionPolicyView replace(
            @PathParam("id") @Size(max = Limits.ID) String id, @Valid @NotNull AppProtectionPolicyRequest request) {
        return policies.replace(caller.tenantId(), id, request);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete an app protection policy (PolicyChanged DELETED)")
    public Response delete(@PathParam("id") @Size(max = Limits.ID) String id) {
        policies.delete(caller.tenantId(), id);
        return Response.noContent().build();
    }
}
