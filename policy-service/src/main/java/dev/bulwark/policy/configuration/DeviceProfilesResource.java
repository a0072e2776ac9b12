package dev.bulwark.policy.configuration;

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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The admin's view of one managed device's configuration profiles. */
@Path("/api/v1/devices/{deviceId}/configuration-profiles")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Configuration profiles")
@RolesAllowed(Roles.ADMIN)
public class DeviceProfilesResource {

    private final ProfileStatuses statuses;
    private final Caller caller;

    DeviceProfilesResource(ProfileStatuses statuses, Caller caller) {
        this.statuses = statuses;
        this.caller = caller;
    }

    @GET
    @Operation(
            summary = "Each configuration profile of the device with its status and reason",
            description = "404 for a device this tenant never enrolled (an app instance has no profiles).")
    public DeviceProfilesView get(@PathParam("deviceId") @Size(max = Limits.ID) String deviceId) {
        return statuses.ofDevice(caller.tenantId(), deviceId);
    }
}
