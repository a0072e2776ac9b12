package dev.bulwark.signoutbridge;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** The provider adapter (Keycloak's, the one implemented; another provider would be chosen here), and the clock. */
@ApplicationScoped
public class BridgeProducers {

    @Produces
    @ApplicationScoped
    SessionEnder provider(BridgeConfig config, Clock clock) {
        return new KeycloakSessions(config.keycloak(), clock);
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
