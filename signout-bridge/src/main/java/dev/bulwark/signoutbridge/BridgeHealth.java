package dev.bulwark.signoutbridge;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Liveness: the consumer thread runs. Readiness: it is in its group and polling, and the identity provider carries
 * out sign-outs (DOWN, with the reason, while a record waits on the provider).
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

        private final SignOutConsumer consumer;

        public CarriesOutSignOuts(SignOutConsumer consumer) {
            this.consumer = consumer;
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
            return consumer.providerProblem().isPresent()
                    ? response.down()
                            .withData("provider", consumer.providerProblem().get())
                            .build()
                    : response.up().build();
        }
    }
}
