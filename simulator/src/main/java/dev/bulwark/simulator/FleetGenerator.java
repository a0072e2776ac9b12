package dev.bulwark.simulator;

import dev.bulwark.simulator.Fleet.AccountPlan;
import dev.bulwark.simulator.Fleet.AppPlan;
import dev.bulwark.simulator.Fleet.DevicePlan;
import dev.bulwark.simulator.Fleet.TenantPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds the {@link Fleet} from the options with a seeded generator, so a run can be replayed exactly. */
public final class FleetGenerator {

    /** The protected apps the simulated users sign in to (package names and bundle ids look alike here). */
    public static final List<String> PROTECTED_APPS =
            List.of("com.contoso.mail", "com.contoso.teams", "com.contoso.files");

    private static final String[] MODELS = {"Pixel 8", "Galaxy S24", "iPhone 15", "ThinkPad X1", "MacBook Air"};

    private FleetGenerator() {}

    public static Fleet generate(SimulatorOptions o) {
        SplittableRandom random = new SplittableRandom(o.seed());
        List<FleetPlatform> weighted = weighted(o.platformMix(), false);
        List<FleetPlatform> mobile = weighted(o.platformMix(), true);
        List<TenantPlan> tenants = new ArrayList<>();
        int usersPerTenant = o.usersPerTenant();
        for (int t = 0; t < o.tenants(); t++) {
            String tenantId = o.tenant().orElse("sim-" + o.runId() + "-" + (t + 1));
            List<String> users = new ArrayList<>(usersPerTenant);
            for (int u = 0; u < usersPerTenant; u++) {
                users.add(String.format("user-%06d", u + 1));
            }
            int devices = share(o.devices(), o.tenants(), t);
            int apps = share(o.apps(), o.tenants(), t);
            List<DevicePlan> devicePlans = new ArrayList<>(devices);
            for (int d = 0; d < devices; d++) {
                FleetPlatform platform = weighted.get(random.nextInt(weighted.size()));
                devicePlans.add(new DevicePlan(
                        tenantId,
                        users.get(d % users.size()),
                        String.format("hw-%s-%d-%07d", o.runId(), t + 1, d + 1),
                        platform,
                        MODELS[random.nextInt(MODELS.length)],
                        random.nextDouble() < 0.6,
                        random.nextDouble() < o.nonCompliantShare(),
                        random.nextInt(2)));
            }
            List<AppPlan> appPlans = new ArrayList<>(apps);
            for (int a = 0; a < apps; a++) {
                FleetPlatform platform = mobile.get(random.nextInt(mobile.size()));
                // App users start after the device users so that most people have one thing each.
                int first = (devices + a) % users.size();
                List<AccountPlan> accounts = new ArrayList<>(2);
                accounts.add(new AccountPlan(users.get(first), random.nextDouble() < o.nonCompliantShare()));
                if (users.size() > 1 && random.nextDouble() < o.multiAccountShare()) {
                    String second = users.get((first + 1 + random.nextInt(users.size() - 1)) % users.size());
                    accounts.add(new AccountPlan(second, random.nextDouble() < o.nonCompliantShare()));
                }
                appPlans.add(new AppPlan(
                        tenantId,
                        String.format("inst-%s-%d-%07d", o.runId(), t + 1, a + 1),
                        PROTECTED_APPS.get(random.nextInt(PROTECTED_APPS.size())),
                        platform,
                        "5." + random.nextInt(10) + ".0",
                        List.copyOf(accounts),
                        random.nextInt(2)));
            }
            tenants.add(new TenantPlan(tenantId, List.copyOf(users), List.copyOf(devicePlans), List.copyOf(appPlans)));
        }
        return new Fleet(List.copyOf(tenants));
    }

    /** Tenant {@code t}'s part of {@code total}, the remainder going to the first tenants. */
    static int share(int total, int tenants, int t) {
        return total / tenants + (t < total % tenants ? 1 : 0);
    }

    private static List<FleetPlatform> weighted(Map<FleetPlatform, Integer> mix, boolean mobileOnly) {
        List<FleetPlatform> out = new ArrayList<>();
        for (FleetPlatform p : FleetPlatform.values()) {
            if (mobileOnly && !p.mobile()) {
                continue;
            }
            for (int i = 0; i < mix.getOrDefault(p, 0); i++) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            // Protected apps only run on Android and iOS: a desktop-only mix still gets phones for its app instances.
            out.add(FleetPlatform.ANDROID);
            out.add(FleetPlatform.IOS);
        }
        return out;
    }
}
