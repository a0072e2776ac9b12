package dev.bulwark.simulator;

import dev.bulwark.events.ConfigurationProfileType;
import dev.bulwark.simulator.Fleet.DevicePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An enrolled device as its MDM agent behaves: enrolls for its primary user, checks in with its OS version,
 * encryption and installed apps, installs / updates / uninstalls on command, applies and removes configuration
 * profiles on command (reporting each outcome once, in the next check-in), updates its OS when remediation asks.
 */
final class ManagedDevice extends SimulatedSubject {

    private final DevicePlan plan;
    private final SplittableRandom random;
    private final Map<String, String> installed = new LinkedHashMap<>();
    /** Profiles in force on the device: profileId → version. Guarded by {@code this}. */
    private final Map<String, Long> profiles = new HashMap<>();
    /** Profile outcomes not yet reported: profileId → the configurationProfiles entry. Guarded by {@code this}. */
    private final Map<String, Map<String, Object>> pendingProfiles = new LinkedHashMap<>();
    /** Profile commands already obeyed (a redelivered command is not applied twice). Guarded by {@code this}. */
    private final Set<String> handledCommands = new HashSet<>();

    private volatile String deviceId;
    /** The credential device-registry gave at enrollment (renewed in a check-in's answer): the agent's only token. */
    private volatile String credential;

    private volatile String osVersion;

    ManagedDevice(DevicePlan plan, long seed) {
        this.plan = plan;
        this.random = new SplittableRandom(seed);
        this.osVersion = plan.nonCompliant()
                ? plan.platform().outdatedOs(plan.osPick())
                : plan.platform().compliantOs(plan.osPick());
    }

    @Override
    String subjectId() {
        return deviceId;
    }

    @Override
    String tenantId() {
        return plan.tenantId();
    }

    @Override
    boolean join(SimContext ctx) {
        Rest.Response r = ctx.rest()
                .post(
                        ctx.options().registry(),
                        "/api/v1/devices",
                        ctx.tokens().user(plan.tenantId(), plan.userId()),
                        Map.of(
                                "userId", plan.userId(),
                                "platform", plan.platform().name(),
                                "osVersion", osVersion,
                                "model", plan.model(),
                                "hardwareId", plan.hardwareId(),
                                "ownership", plan.corporate() ? "CORPORATE" : "PERSONAL"));
        String token = r.body().path("credential").path("token").asText("");
        if (!r.ok() || r.text("deviceId").isEmpty() || token.isEmpty()) {
            ctx.stats().httpError("enroll", r.status());
            return false;
        }
        deviceId = r.text("deviceId");
        credential = token;
        ctx.stats().action("enrolled");
        return true;
    }

    @Override
    boolean nonCompliantNow() {
        return !plan.platform().compliantOs(0).equals(osVersion)
                && !plan.platform().compliantOs(1).equals(osVersion);
    }

    @Override
    boolean sendReport(SimContext ctx) {
        List<Map<String, String>> apps = new ArrayList<>();
        synchronized (installed) {
            installed.forEach((app, version) -> apps.add(Map.of("appId", app, "version", version)));
        }
        List<Map<String, Object>> profileOutcomes;
        synchronized (this) {
            profileOutcomes = new ArrayList<>(pendingProfiles.values());
        }
        List<Map<String, Object>> wipes = wipesToReport();
        Rest.Response r = ctx.rest()
                .post(
                        ctx.options().registry(),
                        "/api/v1/devices/" + deviceId + "/state",
                        credential,
                        Map.of(
                                "osVersion", osVersion,
                                "encrypted", true,
                                "passcodeSet", true,
                                "jailbroken", false,
                                "installedApps", apps,
                                "configurationProfiles", profileOutcomes,
                                "selectiveWipeResults", wipes));
        if (!r.ok()) {
            ctx.stats().httpError("device-state", r.status());
            return false;
        }
        String renewed = r.body().path("credential").path("token").asText("");
        if (!renewed.isEmpty()) {
            credential = renewed;
        }
        synchronized (this) {
            // Reported once; an outcome that changed while the report was on its way waits for the next one.
            profileOutcomes.forEach(p -> pendingProfiles.remove((String) p.get("profileId"), p));
        }
        reported(wipes);
        return true;
    }

    /**
     * ConfigurationProfileApplyRequested: the device applies the profile's version with the configured probability
     * (APPLIED), else it fails with a reason of the kind a device gives (FAILED), and checks in with the outcome.
     */
    void applyProfile(SimContext ctx, String commandId, String profileId, long version, ConfigurationProfileType type) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("profileId", profileId);
        outcome.put("version", version);
        synchronized (this) {
            if (!handledCommands.add(commandId)) {
                return;
            }
            if (chance(ctx.options().profileSuccess())) {
                profiles.put(profileId, version);
                outcome.put("state", "APPLIED");
                ctx.stats().action("profilesApplied");
            } else {
                outcome.put("state", "FAILED");
                outcome.put("reason", failureReason(type));
                ctx.stats().action("profilesFailed");
            }
            pendingProfiles.put(profileId, outcome);
        }
        report(ctx);
    }

    /** ConfigurationProfileRemoveRequested: the profile is taken off the device (REMOVED, the version it held). */
    void removeProfile(SimContext ctx, String commandId, String profileId) {
        synchronized (this) {
            if (!handledCommands.add(commandId)) {
                return;
            }
            Long held = profiles.remove(profileId);
            Map<String, Object> outcome = new LinkedHashMap<>();
            outcome.put("profileId", profileId);
            outcome.put("version", held == null ? 0L : held);
            outcome.put("state", "REMOVED");
            pendingProfiles.put(profileId, outcome);
            ctx.stats().action("profilesRemoved");
        }
        report(ctx);
    }

    /** What a real device says when a profile of this kind does not apply. */
    static String failureReason(ConfigurationProfileType type) {
        return switch (type) {
            case PASSWORD -> "the user postponed the passcode change";
            case VPN -> "VPN client not installed";
            case WIFI -> "certificate referenced by certificateRef is not installed";
            case EMAIL -> "an account for this address already exists on the device";
            default -> "the device does not support this profile";
        };
    }

    /** The profiles in force, profileId → version (for tests and the summary). */
    synchronized Map<String, Long> profiles() {
        return Map.copyOf(profiles);
    }

    /** The profile outcomes the next check-in carries. */
    synchronized List<Map<String, Object>> pendingProfileOutcomes() {
        return new ArrayList<>(pendingProfiles.values());
    }

    /** A wipe on a managed device concerns the protected apps named, else every app it has installed. */
    @Override
    List<String> wipeTargets(List<String> named) {
        if (!named.isEmpty()) {
            return List.copyOf(named);
        }
        synchronized (installed) {
            return List.copyOf(installed.keySet());
        }
    }

    @Override
    boolean fix(SimContext ctx) {
        osVersion = plan.platform().compliantOs(plan.osPick());
        ctx.stats().action("osUpdated");
        return true;
    }

    @Override
    synchronized boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** Install / update (version given) or uninstall (null) an app on command, with the configured success rate. */
    boolean obey(SimContext ctx, String appId, String version) {
        if (!chance(ctx.options().installSuccess())) {
            ctx.stats().action("commandsFailed");
            return false;
        }
        synchronized (installed) {
            if (version == null) {
                installed.remove(appId);
            } else {
                installed.put(appId, version);
            }
        }
        ctx.stats().action("commandsDone");
        report(ctx);
        return true;
    }
}
