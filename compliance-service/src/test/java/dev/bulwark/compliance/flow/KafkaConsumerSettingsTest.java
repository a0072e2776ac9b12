package dev.bulwark.compliance.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings every Kafka consumer of the service runs with, as the running consumers hold them (not as the
 * properties file spells them): a crashed replica is noticed within 15 s, not Kafka's default 45 s, and no channel
 * builds CloudEvent metadata nobody reads.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class KafkaConsumerSettingsTest {

    private static final String[] CHANNELS = {"devices", "directory", "policies"};

    @Inject
    KafkaClientService clients;

    @Test
    void bulwarkDevicesIsReadByThreeConsumersOfTheirOwn() {
        // the channel's copies (SmallRye's concurrency): each its own consumer and its own ordered worker
        assertThat(clients.getConsumerChannels())
                .filteredOn(name -> name.startsWith("devices"))
                .containsExactlyInAnyOrder("devices$1", "devices$2", "devices$3");
    }

    @Test
    void everyConsumerNoticesACrashedReplicaWithinFifteenSeconds() {
        assertThat(clients.getConsumerChannels())
                .map(name -> name.replaceFirst("\\$\\d+$", ""))
                .contains(CHANNELS);
        for (String channel : clients.getConsumerChannels()) {
            Map<String, ?> config = clients.getConsumer(channel).configuration();
            assertThat(config).as(channel).containsKeys("session.timeout.ms", "heartbeat.interval.ms");
            int session = Integer.parseInt(String.valueOf(config.get("session.timeout.ms")));
            int heartbeat = Integer.parseInt(String.valueOf(config.get("heartbeat.interval.ms")));
            assertThat(session).as(channel + " session.timeout.ms").isBetween(10_000, 15_000);
            // Kafka's rule: heartbeats at most a third of the session timeout apart
            assertThat(heartbeat).as(channel + " heartbeat.interval.ms").isLessThanOrEqualTo(session / 3);
            // the broker's group.min.session.timeout.ms default (6 s) admits it
            assertThat(session).isGreaterThanOrEqualTo(6_000);
        }
    }
}
