package dev.bulwark.registry.unmanaged;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.kit.paging.Page;
import dev.bulwark.kit.paging.PageRequest;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.registry.credentials.CredentialView;
import dev.bulwark.registry.credentials.DeviceCredentialIssuer;
import dev.bulwark.registry.shared.WipeResultReport;
import dev.bulwark.rules.OsPlatform;
import dev.bulwark.rules.Version;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * App instances (MAM): a protected app registers with the user's token at first sign-in and then checks in with its
 * state. Only the owning user's token registers and reports; an admin may read.
 */
@Path("/api/v1/app-instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "App instances")
public class AppInstanceResource {

    private static final String ID_PATTERN = "[A-Za-z0-9._-]{1,128}";
    private static final String ID_MESSAGE = "letters, digits, '.', '_' or '-', at most 128";

    /** What a protected app sends at first sign-in; the user is the token's subject. */
    public record RegistrationRequest(
            @NotBlank @Size(max = Limits.ID) @Pattern(regexp = ID_PATTERN, message = ID_MESSAGE) String appId,
            @NotBlank @Size(max = 128) String installationId,
            @NotNull OsPlatform platform,
            @NotNull @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String osVersion,
            @NotNull @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String appVersion,
            @Size(max = 128) String deviceId) {}

    /**
     * What a protected app reports at check-in. {@code selectiveWipeResults} is the outcome of a selective wipe that
     * SignOutRequired asked for (its appId is the instance's own app). {@code configurationProfiles} is named only to be
     * refused: configuration profiles are for managed devices, and an app that sends them is confused about its path.
     */
    public record StateReport(
            @NotNull @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String osVersion,
            @NotNull @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String appVersion,
            @NotNull Boolean pinSet,
            @NotNull Boolean jailbroken,
            @Size(max = 10) List<@Valid @NotNull WipeResultReport> selectiveWipeResults,
            @Null(message = "configuration profiles are for managed devices; an app instance cannot report them")
                    @Schema(hidden = true)
                    Object configurationProfiles,
            Instant reportedAt) {}

    /** An app instance as the registry shows it. */
    public record AppInstanceView(
            String registrationId,
            String userId,
            String appId,
            String installationId,
            OsPlatform platform,
            String osVersion,
            String appVersion,
            String deviceId,
            InstanceManagement managementType,
            Instant registeredAt,
            Instant lastContactAt,
            Instant stateReportedAt,
            Boolean pinSet,
            Boolean jailbroken,
            @JsonInclude(JsonInclude.Include.NON_NULL) CredentialView credential) {
        static AppInstanceView of(AppInstance a) {
            return new AppInstanceView(
                    a.registrationId,
                    a.userId,
                    a.appId,
                    a.installationId,
                    a.platform,
                    a.osVersion,
                    a.appVersion,
                    a.deviceId,
                    a.managementType,
                    a.registeredAt,
                    a.lastContactAt,
                    a.stateReportedAt,
                    a.pinSet,
                    a.jailbroken,
                    null);
        }

        AppInstanceView with(CredentialView credential) {
            return new AppInstanceView(
                    registrationId,
                    userId,
                    appId,
                    installationId,
                    platform,
                    osVersion,
                    appVersion,
                    deviceId,
                    managementType,
                    registeredAt,
                    lastContactAt,
                    stateReportedAt,
                    pinSet,
                    jailbroken,
                    credential);
        }
    }

    /**
     * The answer to a check-in: {@code applied} is false when a newer report had already been stored; {@code credential}
     * is a renewed credential for an app whose own has less than half of its life left (absent otherwise).
     */
    public record CheckInView(
            String registrationId,
            boolean applied,
            Instant lastContactAt,
            Instant stateReportedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) CredentialView credential) {}

    private final Caller caller;
    private final AppInstances instances;
    private final DeviceCredentialIssuer credentials;

    AppInstanceResource(Caller caller, AppInstances instances, DeviceCredentialIssuer credentials) {
        this.caller = caller;
        this.instances = instances;
        this.credentials = credentials;
    }

    @POST
    @RolesAllowed(Roles.USER)
    @Operation(
            summary = "Register a protected app for the token's user (MAM)",
            description = "201 and AppInstanceRegistered on bulwark.devices.v1 (key registrationId, derived from"
                    + " user + app + installation). Registering the same installation again returns it with 200 and"
                    + " publishes nothing. deviceId, when given, must be an active enrolled device of the user. The"
                    + " answer carries the instance's credential (credential.token, credential.expiresAt): the app"
                    + " checks in with it. Registering again gives a new one, also after a selective wipe revoked the"
                    + " earlier ones.")
    public Response register(@Valid @NotNull RegistrationRequest request) {
        AppInstances.Result result = instances.register(
                caller.tenantId(),
                new AppInstances.Registration(
                        caller.subject(),
                        request.appId(),
                        request.installationId(),
                        request.platform(),
                        request.osVersion(),
                        request.appVersion(),
                        Optional.ofNullable(request.deviceId()).filter(d -> !d.isBlank())));
        AppInstance instance = result.instance();
        AppInstanceView view = AppInstanceView.of(instance)
                .with(CredentialView.of(credentials.issueForAppInstance(
                        caller.tenantId(), instance.registrationId, instance.userId, instance.credentialGeneration)));
        return result.changed()
                ? Response.created(URI.create("/api/v1/app-instances/" + view.registrationId()))
                        .entity(view)
                        .build()
                : Response.ok(view).build();
    }

    @GET
    @Path("{registrationId}")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    @Operation(summary = "One app instance; a user reads only their own")
    public AppInstanceView get(@PathParam("registrationId") @Size(max = Limits.ID) String registrationId) {
        AppInstance instance = instances
                .find(caller.tenantId(), registrationId)
                .orElseThrow(() -> AppInstances.notFound(registrationId));
        if (!caller.isAdmin() && !caller.subject().equals(instance.userId)) {
            throw ProblemException.forbidden("This app instance belongs to another user.");
        }
        return AppInstanceView.of(instance);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    @Operation(
            summary = "The tenant's app instances, oldest first, one page at a time",
            description = "An admin may filter by userId; a user sees only their own.")
    public Page<AppInstanceView> list(
            @QueryParam("userId") @Size(max = Limits.ID) String userId,
            @QueryParam("page") @Size(max = Limits.SHORT) String page,
            @QueryParam("size") @Size(max = Limits.SHORT) String size) {
        PageRequest request = PageRequest.of(page, size);
        Optional<String> user = Optional.ofNullable(userId).filter(u -> !u.isBlank());
        if (!caller.isAdmin()) {
            if (user.isPresent() && !user.get().equals(caller.subject())) {
                throw ProblemException.forbidden("A user token may list only its own app instances.");
            }
            user = Optional.of(caller.subject());
        }
        String tenant = caller.tenantId();
        return new Page<>(
                        instances.page(tenant, user, request.offset(), request.size()),
                        request.page(),
                        request.size(),
                        instances.count(tenant, user))
                .map(AppInstanceView::of);
    }

    @POST
    @Path("{registrationId}/state")
    @RolesAllowed({Roles.USER, Roles.APP_INSTANCE})
    @Operation(
            summary = "A protected app's check-in",
            description = "Publishes DeviceStateReported (management type UNMANAGED, key registrationId) with the"
                    + " app's version, PIN and jailbreak state. Only the instance's own credential or the owning user's"
                    + " token may report (403 otherwise); a credential revoked by a selective wipe gets 401. A"
                    + " successful selective wipe in the report revokes every credential the app holds. When the"
                    + " credential has less than half of its life left, the answer carries a new one (credential)."
                    + " A report dated before the stored one only counts as contact (applied=false)."
                    + " selectiveWipeResults (appId = this instance's app, else 422; succeeded, reason) reports a"
                    + " selective wipe asked for by SignOutRequired and goes into this check-in's event;"
                    + " configurationProfiles is refused (400): profiles are for managed devices only.")
    public CheckInView report(
            @PathParam("registrationId") @Size(max = Limits.ID) String registrationId,
            @Valid @NotNull StateReport request) {
        boolean byInstance = caller.hasRole(Roles.APP_INSTANCE);
        if (byInstance && caller.registrationId().filter(registrationId::equals).isEmpty()) {
            throw ProblemException.forbidden("An app instance's credential may report only for that instance.");
        }
        String userId = byInstance
                ? caller.credentialUser().orElseThrow(() -> ProblemException.forbidden("The credential names no user."))
                : caller.subject();
        AppInstances.CheckInResult result = instances.report(
                caller.tenantId(),
                userId,
                registrationId,
                new AppInstances.Report(
                        request.osVersion(),
                        request.appVersion(),
                        request.pinSet(),
                        request.jailbroken(),
                        WipeResultReport.outcomes(request.selectiveWipeResults()),
                        Optional.ofNullable(request.reportedAt())),
                byInstance ? OptionalLong.of(caller.credentialGeneration().orElse(-1L)) : OptionalLong.empty());
        boolean renew = byInstance && !result.credentialsRevoked() && credentials.renewalDue(caller);
        return new CheckInView(
                result.registrationId(),
                result.applied(),
                result.lastContactAt(),
                result.stateReportedAt(),
                renew
                        ? CredentialView.of(credentials.issueForAppInstance(
                                caller.tenantId(), registrationId, userId, result.credentialGeneration()))
                        : null);
    }
}
