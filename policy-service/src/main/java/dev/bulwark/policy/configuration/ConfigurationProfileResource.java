package dev.bulwark.policy.configuration;

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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tenant admins write device configuration profiles (password, VPN, Wi-Fi, email) for managed devices here. Each change
 * publishes PolicyChanged (kind DEVICE_CONFIGURATION) and sends the apply / remove commands it implies.
 */
@Path("/api/v1/configuration-profiles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Configuration profiles")
@RolesAllowed(Roles.ADMIN)
public class ConfigurationProfileResource {

    private final ConfigurationProfiles profiles;
    private final ProfileStatuses statuses;
    private final Caller caller;

    ConfigurationProfileResource(ConfigurationProfiles profiles, ProfileStatuses statuses, Caller caller) {
        this.profiles = profiles;
        this.statuses = statuses;
        this.caller = caller;
    }

    @POST
    @Operation(
            summary = "Create a configuration profile (version 1)",
            description = "Secret values (settings.preSharedKey, sharedSecret, password) are write-only: stored apart"
                    + " and replaced by settings.secretRef. A DEVICE target must name an enrolled managed device of"
                    + " the profile's platform; an app instance (registrationId) or unknown id is refused with 422.")
    @APIResponse(responseCode = "201", description = "Created; apply commands sent to the devices it reaches")
    @APIResponse(responseCode = "422", description = "A setting or target at fault (problem+json naming the field)")
    public Response create(@Valid @NotNull ConfigurationProfileRequest request, @Context UriInfo uri) {
        ConfigurationProfileView created = profiles.create(caller.tenantId(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @GET
    @Operation(summary = "The tenant's configuration profiles")
    public List<ConfigurationProfileView> list() {
        return profiles.list(caller.tenantId());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One configuration profile (secrets only by reference)")
    public ConfigurationProfileView get(@PathParam("id") @Size(max = Limits.ID) String id) {
        return profiles.get(caller.tenantId(), id);
    }

    @PUT
    @Path("{id}")
    @Operation(
            summary = "Replace a configuration profile; its version goes up by one if anything changed",
            description = "Keep a stored secret by sending back its settings.secretRef; a new value replaces it.")
    public ConfigurationProfileView replace(
            @PathParam("id") @Size(max = Limits.ID) String id, @Valid @NotNull ConfigurationProfileRequest request) {
        return profiles.replace(caller.tenantId(), id, request);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a configuration profile (PolicyChanged DELETED; removed from every device)")
    public Response delete(@PathParam("id") @Size(max = Limits.ID) String id) {
        profiles.delete(caller.tenantId(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/status")
    @Operation(
            summary = "Where the profile stands on its devices",
            description = "Counts by status (PENDING, APPLIED, FAILED, CONFLICT, REMOVAL_PENDING, REMOVED) and the"
                    + " devices in each, with the device's reason for FAILED and the conflicting profile for CONFLICT.")
    public ProfileStatusView status(@PathParam("id") @Size(max = Limits.ID) String id) {
        return statuses.ofProfile(caller.tenantId(), id);
    }
}
