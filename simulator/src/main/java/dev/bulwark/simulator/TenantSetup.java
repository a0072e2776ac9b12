package dev.bulwark.simulator;

import dev.bulwark.simulator.Fleet.TenantPlan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a tenant admin does before the fleet arrives: imports the directory (licensed users) in one bulk request and
 * protects the simulated apps with a level-2 app protection policy for all users, so that first sign-ins ask for a
 * PIN.
 */
final class TenantSetup {

    private TenantSetup() {}

    /** The identity provider's feed for the tenant: one licensed user per line, NDJSON. */
    static String directoryFeed(TenantPlan tenant) {
        StringBuilder feed = new StringBuilder(tenant.users().size() * 90);
        for (String user : tenant.users()) {
            feed.append("{\"type\":\"user\",\"userId\":\"")
                    .append(user)
                    .append("\",\"displayName\":\"Simulated ")
                    .append(user)
                    .append("\",\"licensed\":true}\n");
        }
        return feed.toString();
    }

    static void run(SimContext ctx, TenantPlan tenant) {
        String admin = ctx.tokens().admin(tenant.tenantId());
        Rest.Response imported = ctx.rest()
                .postRaw(
                        ctx.options().registry(),
                        "/api/v1/imports",
                        admin,
                        "application/x-ndjson",
                        directoryFeed(tenant).getBytes(StandardCharsets.UTF_8),
                        Duration.ofMinutes(10));
        if (!imported.ok()) {
            throw new IllegalStateException("directory import for " + tenant.tenantId() + " refused: "
                    + imported.status() + " " + imported.body());
        }
        ctx.stats().action("usersImported");
        if (ctx.options().createPolicy()) {
            for (String platform : List.of("ANDROID", "IOS")) {
                Rest.Response policy = ctx.rest()
                        .post(
                                ctx.options().policy(),
                                "/api/v1/app-protection-policies",
                                admin,
                                Map.of(
                                        "name",
                                        "Simulated apps, " + platform + " (level 2)",
                                        "platform",
                                        platform,
                                        "appIds",
                                        FleetGenerator.PROTECTED_APPS,
                                        "templateId",
                                        "level-2-enhanced",
                                        "settings",
                                        Map.of(
                                                "remediationDeadline",
                                                ctx.options()
                                                        .remediationDeadline()
                                                        .toString()),
                                        "targets",
                                        List.of(Map.of("kind", "ALL_USERS"))));
                if (!policy.ok()) {
                    throw new IllegalStateException(
                            "app protection policy refused: " + policy.status() + " " + policy.body());
                }
                ctx.stats().action("policiesCreated");
            }
        }
    }

    /**
     * Waits until policy-service has learnt the tenant's licences from the directory topic (a sign-in is no longer
     * UNLICENSED), so that the first sign-ins of the fleet see the policy; gives up quietly after {@code limit}.
     */
    static boolean awaitPolicyReady(SimContext ctx, TenantPlan tenant, Duration limit) throws InterruptedException {
        String user = tenant.users().get(tenant.users().size() - 1);
        String token = ctx.tokens().user(tenant.tenantId(), user);
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Rest.Response r = ctx.rest()
                    .get(
                            ctx.options().policy(),
                            "/api/v1/me/sign-in?appId=" + FleetGenerator.PROTECTED_APPS.get(0) + "&platform=ANDROID",
                            token);
            String status = r.text("status");
            if (r.ok()
                    && !status.equals("UNLICENSED")
                    && !(ctx.options().createPolicy() && status.equals("NOT_TARGETED"))) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }
}
