package dev.bulwark.simulator;

import dev.bulwark.simulator.Fleet.DevicePlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An enrolled device as its MDM agent behaves: enrolls for its primary user, checks in with its OS version,
 * encryption and installed apps, installs / updates / uninstalls on command, updates its OS when remediation asks.
 */
final class ManagedDevice extends SimulatedSubject {

    private final DevicePlan plan;
    private final SplittableRandom random;
    private final Map<String, String> installed = new LinkedHashMap<>();
    private volatile String deviceId;
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
        if (!r.ok() || r.text("deviceId").isEmpty()) {
            ctx.stats().httpError("enroll", r.status());
            return false;
        }
        deviceId = r.text("deviceId");
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
        Rest.Response r = ctx.rest()
                .post(
                        ctx.options().registry(),
                        "/api/v1/devices/" + deviceId + "/state",
                        ctx.tokens().device(plan.tenantId(), plan.userId(), deviceId),
                        Map.of(
                                "osVersion", osVersion,
                                "encrypted", true,
                                "passcodeSet", true,
                                "jailbroken", false,
                                "installedApps", apps));
        if (!r.ok()) {
            ctx.stats().httpError("device-state", r.status());
        }
        return r.ok();
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
