package dev.bulwark.scenario;

import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.deploy.StackConfig;
import dev.bulwark.deploy.StackLauncher;
import dev.bulwark.deploy.StackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Starts the services a scenario needs from their packaged jars, exactly as {@code ./bulwark up} does, but on ports
 * picked free at start and in a data folder of the test's own, so a developer's running stack is never disturbed.
 * PostgreSQL is the one {@code BULWARK_DB_URL} names, else embedded.
 */
final class ScenarioStack {

    /** Four JVMs share two cores with the build; allow more than the interactive default before calling it failed. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private ScenarioStack() {}

    static RunningStack start(Path dataDir, Set<BulwarkService> services) {
        return start(dataDir, services, UnaryOperator.identity());
    }

    /** As {@link #start(Path, Set)}, with the configuration changed by {@code adjust} (replicas, settings). */
    static RunningStack start(Path dataDir, Set<BulwarkService> services, UnaryOperator<StackConfig> adjust) {
        StackConfig config = StackConfig.defaults(repositoryRoot(), dataDir, System.getenv())
                .withServices(services)
                .withPorts(StackPorts.ephemeral())
                .withReadyTimeout(READY_TIMEOUT);
        return StackLauncher.start(adjust.apply(config), System.out);
    }

    /** The repository root, which failsafe passes as {@code bulwark.root}; the parent folder when run by hand. */
    static Path repositoryRoot() {
        return Path.of(System.getProperty("bulwark.root", ".."))
                .toAbsolutePath()
                .normalize();
    }
}
