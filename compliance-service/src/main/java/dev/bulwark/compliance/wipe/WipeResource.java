package dev.bulwark.compliance.wipe;

import dev.bulwark.kit.paging.Page;
import dev.bulwark.kit.paging.PageRequest;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/wipes}: selective wipe status (pending / successful / failed), for the tenant's admins and services. */
@Path("/api/v1/wipes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "wipes", description = "Selective wipes of corporate data, per app x user x subject")
public class WipeResource {

    private final Caller caller;
    private final SelectiveWipes wipes;

    WipeResource(Caller caller, SelectiveWipes wipes) {
        this.caller = caller;
        this.wipes = wipes;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(
            summary = "The tenant's selective wipes, newest first",
            description = "Each sign-out with selectiveWipe asks for one wipe per app it names (no appId: every"
                    + " protected app on the subject); the app carries it out at its next check-in and reports it."
                    + " Paged: {items, page, size, totalItems}.")
    @APIResponse(responseCode = "200", description = "One page of wipes")
    @APIResponse(responseCode = "400", description = "An unknown status, or a page or size that is not valid")
    public Page<WipeView> list(
            @Parameter(description = "Only this subject's (deviceId or registrationId)")
                    @QueryParam("subjectId")
                    @Size(max = Limits.ID)
                    String subjectId,
            @Parameter(description = "Only this user's") @QueryParam("userId") @Size(max = Limits.ID) String userId,
            @Parameter(description = "PENDING, SUCCESSFUL or FAILED") @QueryParam("status") @Size(max = Limits.SHORT)
                    String status,
            @Parameter(description = "Page number, from 0") @QueryParam("page") @Size(max = Limits.SHORT) String page,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("size") @Size(max = Limits.SHORT)
                    String size) {
        PageRequest request = PageRequest.of(page, size);
        return wipes.list(caller.tenantId(), given(subjectId), given(userId), status(status), request);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "One selective wipe")
    @APIResponse(responseCode = "200", description = "The wipe")
    @APIResponse(responseCode = "404", description = "No such wipe in the caller's tenant")
    public WipeView get(@PathParam("id") @Size(max = Limits.ID) String wipeId) {
        return wipes.find(caller.tenantId(), wipeId)
                .orElseThrow(() -> ProblemException.notFound("No selective wipe " + wipeId + "."));
    }

    private static Optional<String> given(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Optional<WipeStatus> status(String value) {
        return given(value).map(v -> {
            try {
                return WipeStatus.valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(
                        "status", "must be one of " + Arrays.toString(WipeStatus.values()) + ", was '" + v + "'");
            }
        });
    }
}
