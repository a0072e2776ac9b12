package dev.bulwark.assignment.portal;

import dev.bulwark.assignment.effective.AppIntent;
import dev.bulwark.assignment.effective.EffectiveApps;
import dev.bulwark.assignment.projection.AppInstance;
import dev.bulwark.assignment.projection.ManagedDevice;
import dev.bulwark.assignment.projection.Projections;
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
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Effective intents and install state of a subject: a managed device (by deviceId) or an unmanaged app instance (by
 * registrationId, where only Available through user targets is ever effective).
 */
@Path("/api/v1/devices/{id}/apps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Effective intents")
@RolesAllowed({Roles.ADMIN, Roles.DEVICE})
public class DeviceAppsResource {

    /** The subject and its apps. */
    public record SubjectApps(String subjectId, String managementType, String userId, List<AppIntent> apps) {}

    private final Caller caller;
    private final Projections projections;
    private final EffectiveApps effectiveApps;

    DeviceAppsResource(Caller caller, Projections projections, EffectiveApps effectiveApps) {
        this.caller = caller;
        this.projections = projections;
        this.effectiveApps = effectiveApps;
    }

    @GET
    @Operation(summary = "Effective intents (after conflict resolution) and install state of a device or app instance")
    public SubjectApps apps(@PathParam("id") @Size(max = Limits.ID) String id) {
        String tenant = caller.tenantId();
        if (!caller.isAdmin() && !caller.deviceId().filter(id::equals).isPresent()) {
            throw ProblemException.forbidden("A device may read only its own apps.");
        }
        Optional<ManagedDevice> device = projections.device(tenant, id);
        if (device.isPresent()) {
            if (!device.get().active()) {
                throw ProblemException.notFound("Device " + id + " was retired; it is no longer managed.");
            }
            return new SubjectApps(id, "MANAGED", device.get().userId(), effectiveApps.forManagedDevice(device.get()));
        }
        AppInstance instance = projections
                .appInstance(tenant, id)
                .orElseThrow(() -> ProblemException.notFound("No managed device or app instance " + id + "."));
        return new SubjectApps(
                id, "UNMANAGED", instance.userId(), effectiveApps.forUnmanagedUser(tenant, instance.userId()));
    }
}
