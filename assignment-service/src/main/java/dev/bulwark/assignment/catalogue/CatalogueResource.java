package dev.bulwark.assignment.catalogue;

import dev.bulwark.assignment.managed.ManagedInstalls;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.rules.OsPlatform;
import dev.bulwark.rules.Version;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant admin's app catalogue: register an app, list and read apps, publish new versions. */
@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Catalogue")
@RolesAllowed(Roles.ADMIN)
public class CatalogueResource {

    /** What an admin sends to register an app; {@code distribution} defaults to MANAGED. */
    public record NewApp(
            @NotBlank
                    @Size(max = Limits.ID)
                    @Pattern(
                            regexp = "[A-Za-z0-9._-]{1,128}",
                            message = "letters, digits, '.', '_' or '-', at most 128")
                    String appId,
            @NotBlank @Size(max = Limits.NAME) String name,
            @NotNull OsPlatform platform,
            @Size(max = Limits.NAME) String publisher,
            @NotBlank @Size(max = Limits.URL) String storeRef,
            boolean protectedApp,
            @Size(max = Limits.TEXT) String description,
            @NotBlank @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String version,
            AppDistribution distribution,
            @Size(max = Limits.URL) String packageRef) {}

    /** An app as the catalogue shows it. */
    public record AppView(
            String appId,
            String name,
            OsPlatform platform,
            String publisher,
            String storeRef,
            String storeUrl,
            boolean protectedApp,
            String description,
            String version,
            AppDistribution distribution,
            String packageRef) {
        public static AppView of(CatalogueApp app) {
            return new AppView(
                    app.appId,
                    app.name,
                    app.platform,
                    app.publisher,
                    app.storeRef,
                    app.storeUrl(),
                    app.protectedApp,
                    app.description,
                    app.currentVersion,
                    app.distribution,
                    app.packageRef);
        }
    }

    /** A new version to publish. */
    public record NewVersion(
            @NotBlank @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String version,
            @Size(max = Limits.TEXT) String releaseNotes) {}

    /** A published version and how many managed devices were asked to update to it. */
    public record VersionView(
            String appId, String version, String releaseNotes, Instant publishedAt, int updatesRequested) {}

    private final EntityManager entityManager;
    private final Caller caller;
    private final Catalogue catalogue;
    private final ManagedInstalls managedInstalls;

    CatalogueResource(
            EntityManager entityManager, Caller caller, Catalogue catalogue, ManagedInstalls managedInstalls) {
        this.entityManager = entityManager;
        this.caller = caller;
        this.catalogue = catalogue;
        this.managedInstalls = managedInstalls;
    }

    @POST
    @Transactional
    @Operation(summary = "Register an app in the tenant's catalogue, with its first version")
    public Response register(@Valid @NotNull NewApp request) {
        String tenant = caller.tenantId();
        if (catalogue.find(tenant, request.appId()).isPresent()) {
            throw ProblemException.conflict("An app " + request.appId() + " is already in the catalogue.");
        }
        CatalogueApp app = new CatalogueApp();
        app.tenantId = tenant;
        app.appId = request.appId();
        app.name = request.name();
        app.platform = request.platform();
        app.publisher = request.publisher();
        app.storeRef = request.storeRef();
        app.protectedApp = request.protectedApp();
        app.description = request.description() == null ? "" : request.description();
        app.distribution = request.distribution() == null ? AppDistribution.MANAGED : request.distribution();
        app.packageRef = request.packageRef();
        app.currentVersion = request.version();
        entityManager.persist(app);
        entityManager.flush();
        catalogue.addVersion(tenant, app.appId, request.version(), null);
        return Response.created(URI.create("/api/v1/apps/" + app.appId))
                .entity(AppView.of(app))
                .build();
    }

    @GET
    @Operation(summary = "The tenant's catalogue")
    public List<AppView> list() {
        return catalogue.all(caller.tenantId()).stream().map(AppView::of).toList();
    }

    @GET
    @Path("{appId}")
    @Operation(summary = "One app of the catalogue")
    public AppView get(@PathParam("appId") @Size(max = Limits.ID) String appId) {
        return AppView.of(catalogue.require(caller.tenantId(), appId));
    }

    @GET
    @Path("{appId}/versions")
    @Operation(summary = "The app's published versions, oldest first")
    public List<VersionView> versions(@PathParam("appId") @Size(max = Limits.ID) String appId) {
        String tenant = caller.tenantId();
        catalogue.require(tenant, appId);
        return catalogue.versions(tenant, appId);
    }

    @POST
    @Path("{appId}/versions")
    @Transactional
    @Operation(
            summary = "Publish a new version",
            description = "Becomes the app's current version; managed devices this service installed the app on, and"
                    + " to which it is still assigned, are asked to update (AppUpdateRequested). Unmanaged devices get"
                    + " no updates.")
    public Response publish(
            @PathParam("appId") @Size(max = Limits.ID) String appId, @Valid @NotNull NewVersion request) {
        String tenant = caller.tenantId();
        CatalogueApp app = catalogue.require(tenant, appId);
        if (catalogue.hasVersion(tenant, appId, request.version())) {
            throw ProblemException.conflict("Version " + request.version() + " of " + appId + " is already published.");
        }
        catalogue.addVersion(tenant, appId, request.version(), request.releaseNotes());
        app.currentVersion = request.version();
        entityManager.flush();
        int updates = managedInstalls.pushNewVersion(tenant, appId, request.version());
        return Response.created(URI.create("/api/v1/apps/" + appId + "/versions/" + request.version()))
                .entity(new VersionView(appId, request.version(), request.releaseNotes(), Instant.now(), updates))
                .build();
    }
}
