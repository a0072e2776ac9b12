package dev.bulwark.policy.signin;

import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.policy.protection.AppIds;
import dev.bulwark.policy.protection.ProtectedPlatform;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where a protected app, acting for its signed-in user (role user, sub = userId), gets the effective policy and its
 * next step before any work data is reachable, and reports that the user has set a PIN.
 */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-in")
@RolesAllowed(Roles.USER)
public class SignInResource {

    private final SignInService signIn;
    private final Caller caller;
    private final JsonWebToken token;

    SignInResource(SignInService signIn, Caller caller, JsonWebToken token) {
        this.signIn = signIn;
        this.caller = caller;
        this.token = token;
    }

    /**
     * Runs on the event loop: a remembered answer that is still current is served from memory at once; otherwise the
     * answer is computed on a worker thread (signing back in after a sign-out writes to the database).
     */
    @GET
    @Path("sign-in")
    @Operation(summary = "The effective app protection policy for this user and app, and the app's next step")
    @APIResponse(
            responseCode = "200",
            description = "The answer",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = SignInResponse.class)))
    public Uni<Response> signIn(
            @QueryParam("appId") @Size(max = Limits.ID) String appId,
            @QueryParam("registrationId") @Size(max = Limits.ID) String registrationId,
            @QueryParam("platform") @Size(max = Limits.SHORT) String platform) {
        SignInService.Attempt attempt = attempt(appId, registrationId, platform);
        Optional<byte[]> remembered = signIn.rememberedAnswer(attempt);
        if (remembered.isPresent()) {
            return Uni.createFrom().item(json(remembered.get()));
        }
        return Uni.createFrom()
                .item(() -> json(signIn.signInAsJson(attempt)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Response json(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "The same as GET, with the parameters in a JSON body")
    public SignInResponse signInWithBody(@Valid @NotNull SignInRequest request) {
        return signIn.signIn(attempt(request.appId(), request.registrationId(), request.platform()));
    }

    @POST
    @Path("pin-set")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The user has set their PIN in this app installation; answers with the next sign-in's step")
    public SignInResponse pinSet(@Valid @NotNull PinSetRequest request) {
        return signIn.pinSet(
                attempt(request.appId(), request.registrationId(), request.platform()), request.pinLength());
    }

    private SignInService.Attempt attempt(String appId, String registrationId, String platform) {
        if (appId == null || appId.isBlank()) {
            throw ProblemException.badRequest("appId", "is required");
        }
        if (!AppIds.wellFormed(appId)) {
            throw ProblemException.badRequest("appId", "is not a package name or bundle id: '" + appId + "'");
        }
        if (registrationId != null && !AppIds.wellFormed(registrationId)) {
            throw ProblemException.badRequest("registrationId", "is not a registration id: '" + registrationId + "'");
        }
        long issuedAt = token.getIssuedAtTime();
        return new SignInService.Attempt(
                caller.tenantId(),
                caller.subject(),
                appId,
                registrationId,
                platform(platform),
                issuedAt > 0 ? Optional.of(Instant.ofEpochSecond(issuedAt)) : Optional.empty());
    }

    private static Optional<ProtectedPlatform> platform(String platform) {
        if (platform == null || platform.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProtectedPlatform.valueOf(platform.trim().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    "platform",
                    "must be one of " + Arrays.toString(ProtectedPlatform.values()) + ", was '" + platform + "'");
        }
    }
}
