package dev.bulwark.assignment.catalogue;

import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant admin's app catalogue: register an app, list and read apps. */
@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Catalogue")
@RolesAllowed(Roles.ADMIN)
public class CatalogueResource {

    /** What an admin sends to register an app. */
    public record NewApp(
            @NotBlank
                    @Pattern(
                            regexp = "[A-Za-z0-9._-]{1,128}",
                            message = "letters, digits, '.', '_' or '-', at most 128")
                    String appId,
            @NotBlank String name,
            @NotNull AppPlatform platform,
            String publisher,
            @NotBlank String storeRef,
            boolean protectedApp) {}

    /** An app as the catalogue shows it. */
    public record AppView(
            String appId, String name, AppPlatform platform, String publisher, String storeRef, boolean protectedApp) {
        static AppView of(CatalogueApp app) {
            return new AppView(app.appId, app.name, app.platform, app.publisher, app.storeRef, app.protectedApp);
        }
    }

    private final EntityManager entityManager;
    private final Caller caller;

    CatalogueResource(EntityManager entityManager, Caller caller) {
        this.entityManager = entityManager;
        this.caller = caller;
    }

    @POST
    @Transactional
    @Operation(summary = "Register an app in the tenant's catalogue")
    public Response register(@Valid @NotNull NewApp request) {
        String tenant = caller.tenantId();
        CatalogueApp.Key key = new CatalogueApp.Key();
        key.tenantId = tenant;
        key.appId = request.appId();
        if (entityManager.find(CatalogueApp.class, key) != null) {
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
        entityManager.persist(app);
        return Response.created(URI.create("/api/v1/apps/" + app.appId))
                .entity(AppView.of(app))
                .build();
    }

    @GET
    @Operation(summary = "The tenant's catalogue")
    public List<AppView> list() {
        return entityManager
                .createQuery("from CatalogueApp where tenantId = :tenant order by appId", CatalogueApp.class)
                .setParameter("tenant", caller.tenantId())
                .getResultList()
                .stream()
                .map(AppView::of)
                .toList();
    }

    @GET
    @Path("{appId}")
    @Operation(summary = "One app of the catalogue")
    public AppView get(@PathParam("appId") String appId) {
        CatalogueApp.Key key = new CatalogueApp.Key();
        key.tenantId = caller.tenantId();
        key.appId = appId;
        CatalogueApp app = entityManager.find(CatalogueApp.class, key);
        if (app == null) {
            throw ProblemException.notFound("No app " + appId + " in this tenant's catalogue.");
        }
        return AppView.of(app);
    }
}
