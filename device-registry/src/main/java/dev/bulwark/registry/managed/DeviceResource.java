package dev.bulwark.registry.managed;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.kit.paging.Page;
import dev.bulwark.kit.paging.PageRequest;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.security.Caller;
import dev.bulwark.kit.security.Roles;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.registry.credentials.CredentialView;
import dev.bulwark.registry.credentials.DeviceCredentialIssuer;
import dev.bulwark.registry.shared.WipeOutcome;
import dev.bulwark.registry.shared.WipeResultReport;
import dev.bulwark.rules.OsPlatform;
import dev.bulwark.rules.Version;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Managed devices (MDM): enrollment by an admin or by the user themself, reads, retirement and the device agent's
 * state reports. Who may act: an admin on any device of the tenant; a user on their own devices; a device token on its
 * own device only (state reports and reads).
 */
@Path("/api/v1/devices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Managed devices")
public class DeviceResource {

    /** What an admin or the user's enrollment app sends to enroll a device. */
    public record EnrollmentRequest(
            @NotBlank @Size(max = 128) String userId,
            @NotNull OsPlatform platform,
            @NotNull @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String osVersion,
            @Size(max = 200) String model,
            @NotBlank @Size(max = 128) String hardwareId,
            @NotNull DeviceOwnership ownership) {}

    /** One managed app the device reports as installed, at a version of the grammar every path shares. */
    public record InstalledAppReport(
            @NotBlank @Size(max = 128) String appId,
            @NotNull @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String version) {}

    /**
     * A configuration profile the device was told to apply or remove (ConfigurationProfileApplyRequested /
     * RemoveRequested), with what came of it: the version it holds and APPLIED, FAILED (reason in the device's words)
     * or REMOVED.
     */
    public record ProfileStatusReport(
            @NotBlank @Size(max = 128) String profileId,
            @NotNull @PositiveOrZero Long version,
            @NotNull ProfileState state,
            @Size(max = 1000) @Pattern(regexp = WipeResultReport.NO_NUL, message = "must not contain a NUL character")
                    String reason) {}

    /** What a device agent reports at check-in. */
    public record StateReport(
            @NotNull @Size(max = Limits.SHORT) @Pattern(regexp = Version.PATTERN, message = Version.MESSAGE)
                    String osVersion,
            @NotNull Boolean encrypted,
            @NotNull Boolean passcodeSet,
            @NotNull Boolean jailbroken,
            @Size(max = 1000) List<@Valid @NotNull InstalledAppReport> installedApps,
            @Size(max = 200) List<@Valid @NotNull ProfileStatusReport> configurationProfiles,
            @Size(max = 100) List<@Valid @NotNull WipeResultReport> selectiveWipeResults,
            Instant reportedAt) {}

    /** The last state a device reported. */
    public record StateView(
            Instant reportedAt,
            Boolean encrypted,
            Boolean passcodeSet,
            Boolean jailbroken,
            List<InstalledAppEntry> installedApps) {}

    /**
     * A device as the registry shows it. {@code state} is null until the first check-in; {@code credential} is only in
     * the answer to an enrollment.
     */
    public record DeviceView(
            String deviceId,
            String userId,
            OsPlatform platform,
            String osVersion,
            String model,
            String hardwareId,
            DeviceOwnership ownership,
            DeviceStatus status,
            Instant enrolledAt,
            Instant retiredAt,
            Instant lastContactAt,
            StateView state,
            @JsonInclude(JsonInclude.Include.NON_NULL) CredentialView credential) {
        static DeviceView of(ManagedDevice d) {
            StateView state = d.stateReportedAt == null
                    ? null
                    : new StateView(d.stateReportedAt, d.encrypted, d.passcodeSet, d.jailbroken, d.installedApps);
            return new DeviceView(
                    d.deviceId,
                    d.userId,
                    d.platform,
                    d.osVersion,
                    d.model,
                    d.hardwareId,
                    d.ownership,
                    d.status,
                    d.enrolledAt,
                    d.retiredAt,
                    d.lastContactAt,
                    state,
                    null);
        }

        DeviceView with(CredentialView credential) {
            return new DeviceView(
                    deviceId,
                    userId,
                    platform,
                    osVersion,
                    model,
                    hardwareId,
                    ownership,
                    status,
                    enrolledAt,
                    retiredAt,
                    lastContactAt,
                    state,
                    credential);
        }
    }

    /**
     * The answer to a check-in: {@code applied} is false when a newer report had already been stored; {@code credential}
     * is a renewed credential for a device whose own has less than half of its life left (absent otherwise).
     */
    public record CheckInView(
            String deviceId,
            boolean applied,
            Instant lastContactAt,
            Instant stateReportedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) CredentialView credential) {}

    private final Caller caller;
    private final ManagedDevices devices;
    private final DeviceEnrollment enrollment;
    private final DeviceCheckIn checkIn;
    private final DeviceCredentialIssuer credentials;

    DeviceResource(
            Caller caller,
            ManagedDevices devices,
            DeviceEnrollment enrollment,
            DeviceCheckIn checkIn,
            DeviceCredentialIssuer credentials) {
        this.caller = caller;
        this.devices = devices;
        this.enrollment = enrollment;
        this.checkIn = checkIn;
        this.credentials = credentials;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    @Operation(
            summary = "Enroll a device (MDM) for a user of the tenant",
            description = "201 and DeviceEnrolled on bulwark.devices.v1 (key deviceId). Enrolling hardware that is"
                    + " already enrolled for the same user returns that device with 200 and publishes nothing;"
                    + " for another user it is a 409. A user token may enroll only for itself. An unknown user is a"
                    + " 422 naming userId. The answer carries the device's credential (credential.token, an ES256"
                    + " bearer token for this device only, and credential.expiresAt): the agent checks in, reads its"
                    + " device and its Company Portal with it. Repeating the enrollment gives a new one.")
    public Response enroll(@Valid @NotNull EnrollmentRequest request) {
        if (!caller.isAdmin() && !caller.subject().equals(request.userId())) {
            throw ProblemException.forbidden("A user token may enroll devices only for its own user.");
        }
        DeviceEnrollment.Result result = enrollment.enroll(
                caller.tenantId(),
                new DeviceEnrollment.Request(
                        request.userId(),
                        request.platform(),
                        request.osVersion(),
                        Optional.ofNullable(request.model()),
                        request.hardwareId(),
                        request.ownership()));
        DeviceView view = DeviceView.of(result.device())
                .with(CredentialView.of(credentials.issue(caller.tenantId(), result.device().deviceId)));
        return result.created()
                ? Response.created(URI.create("/api/v1/devices/" + view.deviceId()))
                        .entity(view)
                        .build()
                : Response.ok(view).build();
    }

    @GET
    @Path("{deviceId}")
    @RolesAllowed({Roles.ADMIN, Roles.USER, Roles.DEVICE})
    @Operation(
            summary = "One device (retired ones too); a user reads their own, a device token only itself",
            description = "A retired device's own credential is refused (401): the retirement revoked it.")
    public DeviceView get(@PathParam("deviceId") @Size(max = Limits.ID) String deviceId) {
        if (caller.hasRole(Roles.DEVICE) && !caller.isAdmin() && !isThisDevice(deviceId)) {
            throw ProblemException.forbidden("A device token may read only its own device.");
        }
        ManagedDevice device = devices.find(caller.tenantId(), deviceId)
                .orElseThrow(() -> ProblemException.notFound("No device " + deviceId + " in this tenant."));
        if (!caller.isAdmin() && !isThisDevice(deviceId) && !caller.subject().equals(device.userId)) {
            throw ProblemException.forbidden("This device belongs to another user.");
        }
        if (!caller.isAdmin() && isThisDevice(deviceId) && device.isRetired()) {
            throw DeviceCredentialRevoked.retired(deviceId);
        }
        return DeviceView.of(device);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    @Operation(
            summary = "The tenant's devices, oldest enrollment first, one page at a time",
            description = "An admin may filter by userId; a user sees only their own devices.")
    public Page<DeviceView> list(
            @QueryParam("userId") @Size(max = Limits.ID) String userId,
            @QueryParam("page") @Size(max = Limits.SHORT) String page,
            @QueryParam("size") @Size(max = Limits.SHORT) String size) {
        PageRequest request = PageRequest.of(page, size);
        Optional<String> user = Optional.ofNullable(userId).filter(u -> !u.isBlank());
        if (!caller.isAdmin()) {
            if (user.isPresent() && !user.get().equals(caller.subject())) {
                throw ProblemException.forbidden("A user token may list only its own devices.");
            }
            user = Optional.of(caller.subject());
        }
        String tenant = caller.tenantId();
        long total = devices.count(tenant, user);
        List<ManagedDevice> items = devices.page(tenant, user, request.offset(), request.size());
        return new Page<>(items, request.page(), request.size(), total).map(DeviceView::of);
    }

    @DELETE
    @Path("{deviceId}")
    @RolesAllowed({Roles.ADMIN, Roles.USER})
    @Operation(
            summary = "Retire (unenroll) a device",
            description = "204 and DeviceRetired on bulwark.devices.v1 (reason ADMIN, or USER when the owner retires"
                    + " it from the Company Portal). Retiring a retired device is an idempotent 204 that publishes"
                    + " nothing. The device leaves every device group.")
    public void retire(
            @PathParam("deviceId") @Size(max = Limits.ID) String deviceId,
            @QueryParam("comment") @Size(max = Limits.TEXT) String comment) {
        if (comment != null && comment.length() > 500) {
            throw ProblemException.badRequest("comment", "must be at most 500 characters");
        }
        String tenant = caller.tenantId();
        ManagedDevice device = devices.find(tenant, deviceId)
                .orElseThrow(() -> ProblemException.notFound("No device " + deviceId + " in this tenant."));
        RetirementReason reason;
        if (caller.isAdmin()) {
            reason = RetirementReason.ADMIN;
        } else if (caller.subject().equals(device.userId)) {
            reason = RetirementReason.USER;
        } else {
            throw ProblemException.forbidden("This device belongs to another user.");
        }
        enrollment.retire(tenant, deviceId, reason, Optional.ofNullable(comment).filter(c -> !c.isBlank()));
    }

    @POST
    @Path("{deviceId}/state")
    @RolesAllowed({Roles.ADMIN, Roles.DEVICE})
    @Operation(
            summary = "A device's check-in: its current state",
            description = "Stores the state and the contact time and publishes DeviceStateReported (management type"
                    + " MANAGED, key deviceId). A device token may report only for its own device (403 otherwise);"
                    + " a retired device gets 409 (401 with its own credential, revoked by the retirement). When the"
                    + " device's credential has less than half of its life left, the answer carries a new one"
                    + " (credential). A report dated before the stored one only counts as contact"
                    + " (applied=false, nothing published). configurationProfiles carries the outcome of profile"
                    + " commands (profileId, version, state APPLIED|FAILED|REMOVED, reason; each profileId once) and"
                    + " selectiveWipeResults the outcome of selective wipes asked for by SignOutRequired (appId,"
                    + " succeeded, reason; each appId once); both go into this check-in's DeviceStateReported and"
                    + " are not stored.")
    public CheckInView report(
            @PathParam("deviceId") @Size(max = Limits.ID) String deviceId, @Valid @NotNull StateReport request) {
        if (!caller.isAdmin() && !isThisDevice(deviceId)) {
            throw ProblemException.forbidden("A device token may report only for its own device.");
        }
        List<InstalledAppEntry> apps =
                Objects.requireNonNullElse(request.installedApps(), List.<InstalledAppReport>of()).stream()
                        .map(app -> new InstalledAppEntry(app.appId(), app.version()))
                        .toList();
        List<ProfileStatusReport> profileReports =
                Objects.requireNonNullElse(request.configurationProfiles(), List.of());
        boolean byDevice = !caller.isAdmin() && isThisDevice(deviceId);
        WipeResultReport.requireDistinct(
                profileReports, ProfileStatusReport::profileId, "configurationProfiles", "profileId");
        List<ProfileStatusEntry> profiles = profileReports.stream()
                .map(p -> new ProfileStatusEntry(p.profileId(), p.version(), p.state(), p.reason()))
                .toList();
        List<WipeOutcome> wipes = WipeResultReport.outcomes(request.selectiveWipeResults());
        DeviceCheckIn.Result result = checkIn.report(
                caller.tenantId(),
                deviceId,
                new DeviceCheckIn.Report(
                        request.osVersion(),
                        request.encrypted(),
                        request.passcodeSet(),
                        request.jailbroken(),
                        apps,
                        profiles,
                        wipes,
                        Optional.ofNullable(request.reportedAt())),
                byDevice);
        return new CheckInView(
                result.deviceId(),
                result.applied(),
                result.lastContactAt(),
                result.stateReportedAt(),
                byDevice ? renewal(deviceId) : null);
    }

    /** A new credential for the calling device when its own is a device credential with less than half its life. */
    private CredentialView renewal(String deviceId) {
        return credentials.renewalDue(caller)
                ? CredentialView.of(credentials.issue(caller.tenantId(), deviceId))
                : null;
    }

    private boolean isThisDevice(String deviceId) {
        return caller.hasRole(Roles.DEVICE)
                && caller.deviceId().filter(deviceId::equals).isPresent();
    }
}
