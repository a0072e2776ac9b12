package dev.bulwark.policy.access;

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

/** Tenant admins write conditional-access rules here; each change publishes PolicyChanged. */
@Path("/api/v1/conditional-access-rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Conditional access rules")
@RolesAllowed(Roles.ADMIN)
public class ConditionalAccessRuleResource {

    private final ConditionalAccessRules rules;
    private final Caller caller;

    ConditionalAccessRuleResource(ConditionalAccessRules rules, Caller caller) {
        this.rules = rules;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create a conditional-access rule")
    public Response create(@Valid @NotNull ConditionalAccessRuleRequest request, @Context UriInfo uri) {
        ConditionalAccessRuleView created = rules.create(caller.tenantId(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @GET
    @Operation(summary = "The tenant's conditional-access rules")
    public List<ConditionalAccessRuleView> list() {
        return rules.list(caller.tenantId());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One conditional-access rule")
    public ConditionalAccessRuleView get(@PathParam("id") @Size(max = Limits.ID) String id) {
        return rules.get(caller.tenantId(), id);
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a conditional-access rule; its version goes up by one if anything changed")
    public ConditionalAccessRuleView replace(
            @PathParam("id") @Size(max = Limits.ID) String id, @Valid @NotNull ConditionalAccessRuleRequest request) {
        return rules.replace(caller.tenantId(), id, request);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a conditional-access rule (PolicyChanged DELETED)")
    public Response delete(@PathParam("id") @Size(max = Limits.ID) String id) {
        rules.delete(caller.tenantId(), id);
        return Response.noContent().build();
    }
}
