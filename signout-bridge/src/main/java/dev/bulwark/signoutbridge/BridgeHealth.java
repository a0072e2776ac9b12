package dev.bulwark.signoutbridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Liveness: the consumer thread runs. Readiness: it is in its group and polling, and the identity provider carries
 * out sign-outs (DOWN, with the reason, while a record waits on the provider) or, with none waiting, answers at all.
 */
public final class BridgeHealth {

    private BridgeHealth() {}

    @Liveness
    @ApplicationScoped
    public static class ConsumerAlive implements HealthCheck {

        private final SignOutConsumer consumer;

        public ConsumerAlive(SignOutConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("signout-consumer");
            if (!consumer.enabled()) {
                return response.up().withData("enabled", false).build();
            }
            return consumer.stopped()
                    .map(why -> response.down().withData("stopped", why))
                    .orElse(response.up())
                    .build();
        }
    }

    @Readiness
    @ApplicationScoped
    public static class CarriesOutSignOuts implements HealthCheck {

        private static final Duration RECHECK = Duration.ofSeconds(5);

        private final SignOutConsumer consumer;
        private final SessionEnder provider;
        private volatile Instant checkedAt;
        private volatile boolean lastAnswer;

        public CarriesOutSignOuts(SignOutConsumer consumer, SessionEnder provider) {
            this.consumer = consumer;
            this.provider = provider;
        }

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("signout-bridge");
            if (!consumer.enabled()) {
                return response.up().withData("enabled", false).build();
            }
            if (!consumer.polling()) {
                return response.down()
                        .withData("consumer", consumer.stopped().orElse("not polling yet"))
                        .build();
            }
            if (consumer.providerProblem().isPresent()) {
                return response.down()
                        .withData("provider", consumer.providerProblem().get())
                        .build();
            }
            // no sign-out waiting: still say so when the provider does not answer, before one arrives
            return reachable()
                    ? response.up().build()
                    : response.down()
                            .withData("provider", provider.name() + " does not answer")
                            .build();
        }

        /** The provider's answer, asked at most every {@link #RECHECK} (probes come every few seconds). */
        private boolean reachable() {
            Instant now = Instant.now();
            if (checkedAt == null || Duration.between(checkedAt, now).compareTo(RECHECK) >= 0) {
                lastAnswer = provider.reachable();
                checkedAt = now;
            }
            return lastAnswer;
        }
    }
}
