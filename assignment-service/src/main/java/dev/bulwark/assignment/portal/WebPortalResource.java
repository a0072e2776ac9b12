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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The API behind the web Company Portal, for a signed-in user: the apps available to them, on unmanaged devices
 * (follow the store link) and on each of their managed devices (ask for an install).
 */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Company Portal")
@RolesAllowed(Roles.USER)
public class WebPortalResource {

    /** A managed device of the user. */
    public record UserDevice(String deviceId, String platform) {}

    /** An app in the web portal: where it can be installed from here, and whether the store link applies. */
    public record PortalApp(AppIntent app, List<String> installableOn, boolean openInStore) {}

    /** What the web Company Portal shows. */
    public record WebPortal(String userId, List<UserDevice> managedDevices, List<PortalApp> apps) {}

    private final Caller caller;
    private final Projections projections;
    private final EffectiveApps effectiveApps;
    private final Catalogue catalogue;
    private final ManagedInstalls managedInstalls;

    WebPortalResource(
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
    @Path("apps")
    @Operation(summary = "Apps available to the signed-in user (the web Company Portal)")
    public WebPortal apps() {
        String tenant = caller.tenantId();
        String user = caller.subject();
        List<ManagedDevice> devices = projections.activeDevicesOf(tenant, user);
        Map<String, AppIntent> apps = new LinkedHashMap<>();
        Map<String, List<String>> installable = new LinkedHashMap<>();
        Map<String, Boolean> store = new LinkedHashMap<>();
        for (AppIntent app : effectiveApps.forUnmanagedUser(tenant, user)) {
            apps.put(app.appId(), app);
            store.put(app.appId(), true);
        }
        for (ManagedDevice device : devices) {
            for (AppIntent app : effectiveApps.forManagedDevice(device)) {
                if (app.offered()) {
                    apps.putIfAbsent(app.appId(), app);
                    installable
                            .computeIfAbsent(app.appId(), k -> new ArrayList<>())
                            .add(device.deviceId());
                }
            }
        }
        List<PortalApp> result = apps.values().stream()
                .map(app -> new PortalApp(
                        app, installable.getOrDefault(app.appId(), List.of()), store.getOrDefault(app.appId(), false)))
                .toList();
        return new WebPortal(
                user,
                devices.stream()
                        .map(d -> new UserDevice(d.deviceId(), d.platform()))
                        .toList(),
                result);
    }

    @POST
    @Path("devices/{deviceId}/apps/{appId}/install")
    @Transactional
    @Operation(summary = "Install an available app on one of the user's managed devices")
    public Response install(
            @PathParam("deviceId") @Size(max = Limits.ID) String deviceId,
            @PathParam("appId") @Size(max = Limits.ID) String appId) {
        String tenant = caller.tenantId();
        ManagedDevice device = projections
                .device(tenant, deviceId)
                .filter(d -> d.active() && d.userId().equals(caller.subject()))
                .orElseThrow(() -> ProblemException.notFound("No managed device " + deviceId + " of yours. Apps for"
                        + " unmanaged devices are installed from their store link."));
        return Response.accepted(PortalInstalls.install(device, appId, effectiveApps, catalogue, managedInstalls))
                .build();
    }
}
