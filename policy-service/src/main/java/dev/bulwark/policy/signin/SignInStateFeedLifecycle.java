package dev.bulwark.policy.signin;

import dev.bulwark.policy.signout.SignOutState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Starts this replica's {@link SignInStateFeed} once the sign-in state is loaded, and stops it at shutdown. */
@ApplicationScoped
public class SignInStateFeedLifecycle {

    private final SignOutState signOuts;
    private final CacheCatchUp catchUp;
    private final Clock clock;
    private final boolean enabled;
    private final Optional<String> bootstrapServers;
    private volatile SignInStateFeed feed;

    SignInStateFeedLifecycle(
            SignOutState signOuts,
            CacheCatchUp catchUp,
            Clock clock,
            @ConfigProperty(name = "bulwark.policy.sign-in.feed.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers) {
        this.signOuts = signOuts;
        this.catchUp = catchUp;
        this.clock = clock;
        this.enabled = enabled;
        this.bootstrapServers = bootstrapServers;
    }

    // after CacheCatchUp's start-up load (default priority), so the feed's "from the end" follows the loaded state
    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 600) StartupEvent start) {
        if (enabled && bootstrapServers.isPresent()) {
            feed = new SignInStateFeed(bootstrapServers.get(), signOuts, catchUp::catchUpNow, clock).start();
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        SignInStateFeed running = feed;
        if (running != null) {
            running.close();
        }
    }

    /** Whether the feed reads every partition of its topics (tests wait for it). */
    public boolean ready() {
        SignInStateFeed running = feed;
        return running != null && running.ready();
    }
}
