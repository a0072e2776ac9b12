package dev.bulwark.assignment.portal;

import dev.bulwark.assignment.catalogue.Catalogue;
import dev.bulwark.assignment.effective.AppIntent;
import dev.bulwark.assignment.effective.EffectiveApps;
import dev.bulwark.assignment.managed.ManagedInstalls;
import dev.bulwark.assignment.projection.ManagedDevice;
import dev.bulwark.assignment.projection.Projections;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Company Portal app's API on a managed device: the apps offered or required for this device, and install on
 * request. Unmanaged devices cannot use the Company Portal app; they are pointed to the web Company Portal.
 */
@Path("/api/v1/me/portal/apps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Company Portal")
@RolesAllowed({Roles.DEVICE, Roles.USER})
public class PortalResource {

    static final String WEB_PORTAL = "/portal";

    /** What the device's Company Portal shows. */
    public record DevicePortal(String deviceId, String userId, List<AppIntent> apps) {}

    /** An install the user asked for. */
    public record InstallRequested(String deviceId, String appId, String version, String commandId) {}

    private final Caller caller;
    private final Projections projections;
    private final EffectiveApps effectiveApps;
    private final Catalogue catalogue;
    private final ManagedInstalls managedInstalls;

    PortalResource(
            Caller caller,
            Projections projections,
            EffectiveApps effectiveApps,
            Catalogue catalogue,
            ManagedInstalls managedInstalls) {
        this.caller = caller;
        this.projections = projections;
        this.effectiveApps = effectiveApps;
        this.catalogue = catalogue;
        this.managedInstalls = managedInstalls;
    }

    @GET
    @Operation(summary = "Apps for this managed device's Company Portal (device token)")
    public DevicePortal apps() {
        ManagedDevice device = managedCaller();
        return new DevicePortal(device.deviceId(), device.userId(), effectiveApps.forManagedDevice(device));
    }

    @POST
    @Path("{appId}/install")
    @Transactional
    @Operation(summary = "Install an app offered to this managed device")
    public Response install(@PathParam("appId") @Size(max = Limits.ID) String appId) {
        ManagedDevice device = managedCaller();
        return Response.accepted(PortalInstalls.install(device, appId, effectiveApps, catalogue, managedInstalls))
                .build();
    }

    private ManagedDevice managedCaller() {
        String tenant = caller.tenantId();
        if (!caller.hasRole(Roles.DEVICE) || caller.deviceId().isEmpty()) {
            throw ProblemException.forbidden("The Company Portal app works on managed (enrolled) devices only. On an"
                    + " unmanaged device, use the web Company Portal at " + WEB_PORTAL + ".");
        }
        String deviceId = caller.deviceId().get();
        return projections
                .device(tenant, deviceId)
                .filter(ManagedDevice::active)
                .orElseThrow(() -> ProblemException.forbidden("Device " + deviceId + " is not a managed (enrolled)"
                        + " device. Use the web Company Portal at " + WEB_PORTAL + "."));
    }
}
