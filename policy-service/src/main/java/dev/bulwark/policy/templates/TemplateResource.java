package dev.bulwark.policy.templates;

import dev.bulwark.kit.problem.ProblemException;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Serves the ready app protection templates to tenant admins. */
@Path("/api/v1/templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Templates")
@RolesAllowed(Roles.ADMIN)
public class TemplateResource {

    @GET
    @Operation(summary = "The data protection framework's ready app protection templates, levels 1 to 3")
    public List<AppProtectionTemplate> list() {
        return AppProtectionTemplates.all();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One template")
    public AppProtectionTemplate get(@PathParam("id") @Size(max = Limits.ID) String id) {
        return AppProtectionTemplates.byId(id).orElseThrow(() -> ProblemException.notFound("No template " + id + "."));
    }
}
