package dev.bulwark.simulator;

import java.util.List;

/**
 * The simulated population, fixed before anything is sent: who exists in which tenant, which devices and app
 * installations they have, and which of them will misbehave. Same options and seed, same fleet.
 */
public record Fleet(List<TenantPlan> tenants) {

    /** One tenant: its users and the things they use. */
    public record TenantPlan(String tenantId, List<String> users, List<DevicePlan> devices, List<AppPlan> apps) {}

    /** A managed device: enrolled by its primary user, reporting as the MDM agent does. */
    public record DevicePlan(
            String tenantId,
            String userId,
            String hardwareId,
            FleetPlatform platform,
            String model,
            boolean corporate,
            boolean nonCompliant,
            int osPick) {}

    /** One protected app on an unmanaged device, with one account or more (multi-account installations). */
    public record AppPlan(
            String tenantId,
            String installationId,
            String appId,
            FleetPlatform platform,
            String appVersion,
            List<AccountPlan> accounts,
            int osPick) {}

    /** One account signed in to an app installation; a non-compliant one ignores the PIN prompt. */
    public record AccountPlan(String userId, boolean nonCompliant) {}

    public int deviceCount() {
        return tenants.stream().mapToInt(t -> t.devices().size()).sum();
    }

    public int appCount() {
        return tenants.stream().mapToInt(t -> t.apps().size()).sum();
    }

    public int accountCount() {
        return tenants.stream()
                .flatMap(t -> t.apps().stream())
                .mapToInt(a -> a.accounts().size())
                .sum();
    }

    public int userCount() {
        return tenants.stream().mapToInt(t -> t.users().size()).sum();
    }
}
