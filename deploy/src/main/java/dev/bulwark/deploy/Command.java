package dev.bulwark.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What {@code ./bulwark} was asked to do, parsed and checked by {@link CommandLine} before anything starts. */
public sealed interface Command {

    /**
     * {@code up}: start the stack in {@code dataDir}, print where it is, then block (or stop at once when ready). With
     * {@code demo}, once ready, seed the demo tenant and run a small simulated fleet in this JVM until Ctrl-C (with
     * {@code exitWhenReady}: for the demo fleet's own duration, then stop). {@code replicas}: how many processes of a
     * service to run where more than one. {@code identityProvider}: the dev key pair, or a Keycloak started with the
     * stack.
     */
    record Up(
            Path dataDir,
            Set<BulwarkService> services,
            boolean exitWhenReady,
            int portOffset,
            boolean demo,
            Map<BulwarkService, Integer> replicas,
            IdentityProvider identityProvider)
            implements Command {
        public Up {
            services = Set.copyOf(services);
            replicas = Map.copyOf(replicas);
            java.util.Objects.requireNonNull(identityProvider, "identityProvider");
        }

        /** With the dev key pair. */
        public Up(
                Path dataDir,
                Set<BulwarkService> services,
                boolean exitWhenReady,
                int portOffset,
                boolean demo,
                Map<BulwarkService, Integer> replicas) {
            this(dataDir, services, exitWhenReady, portOffset, demo, replicas, IdentityProvider.DEV_KEYS);
        }

        /** One process of each service. */
        public Up(Path dataDir, Set<BulwarkService> services, boolean exitWhenReady, int portOffset, boolean demo) {
            this(dataDir, services, exitWhenReady, portOffset, demo, Map.of());
        }

        /** The stack without the demo. */
        public Up(Path dataDir, Set<BulwarkService> services, boolean exitWhenReady, int portOffset) {
            this(dataDir, services, exitWhenReady, portOffset, false);
        }
    }

    /** {@code token}: print a token signed with the key in {@code dataDir}. */
    record Token(Path dataDir, TokenRequest request) implements Command {}

    /** {@code events}: print a topic's decoded records; {@code bootstrap} empty means "the running stack's". */
    record Events(
            Path dataDir, String topic, boolean fromBeginning, Optional<String> bootstrap, Optional<Duration> maxIdle)
            implements Command {}

    /**
     * {@code dlq}: list {@code service}'s dead letters with their reasons, or re-drive them through its own consumers
     * (its admin endpoint, called with an operator token signed with the key in {@code dataDir}).
     */
    record DeadLetters(Path dataDir, BulwarkService service, boolean redrive) implements Command {}

    /** {@code help} or no arguments. */
    record Help() implements Command {}
}
