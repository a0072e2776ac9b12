package dev.bulwark.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one simulator run is told on the command line. A record so that a run is reproducible from its printed
 * options plus the seed.
 */
public record SimulatorOptions(
        URI registry,
        URI policy,
        URI compliance,
        URI assignment,
        String kafka,
        Path keysDir,
        String issuer,
        int tenants,
        Optional<String> tenant,
        String runId,
        int devices,
        int apps,
        int users,
        double multiAccountShare,
        Map<FleetPlatform, Integer> platformMix,
        double nonCompliantShare,
        double remediationSuccess,
        double installSuccess,
        double profileSuccess,
        double wipeSuccess,
        Duration reSignInDelay,
        double rate,
        Duration duration,
        Duration drain,
        long seed,
        int concurrency,
        boolean createPolicy,
        Duration remediationDeadline,
        Optional<Path> report,
        boolean progress) {

    /** Total simulated subjects' installations (devices plus app installations, before extra accounts). */
    public int fleetSize() {
        return devices + apps;
    }

    /** Users per tenant: given, or enough that each device and installation has a primary user of its own. */
    public int usersPerTenant() {
        int perTenant = users > 0 ? users : Math.max(1, (devices + apps) / Math.max(1, tenants));
        return Math.max(perTenant, 2);
    }
}
