package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.appPolicy;
import static dev.bulwark.policy.flow.Fixtures.includeGroup;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.Topics;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A record that is not an event goes to bulwark.policy-service.dlq.v1 and the consumers keep going. */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class DeadLetterTest {

    @Test
    void poisonOnTheDirectoryAndSignOutTopicsIsDeadLetteredAndLaterEventsAreStillApplied() {
        Fixtures f = new Fixtures();
        String directoryKey = "poison-" + UUID.randomUUID();
        String signOutKey = "poison-" + UUID.randomUUID();
        TestEvents.publishRaw(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DIRECTORY,
                directoryKey,
                "not avro".getBytes(StandardCharsets.UTF_8));
        TestEvents.publishRaw(
                BulwarkInfra.kafkaBootstrap(), Topics.SIGNOUT, signOutKey, new byte[] {(byte) 0xC3, 0x01, 1, 2});

        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(directoryKey);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(awaitDeadLetter(signOutKey).value()).hasSize(4);

        // The channel goes on: a licence and a membership published after the poison are applied.
        f.licence("olga", true);
        f.join("team", "olga");
        f.createAppPolicy(appPolicy("com.contoso.mail", null, "{}", "[" + includeGroup("team") + "]"));
        f.awaitSignIn("olga", "com.contoso.mail", "PROTECTED");
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BulwarkInfra.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.deadLetter("policy-service")));
            return Awaitility.await("dead letter " + key)
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ZERO)
                    .until(
                            () -> {
                                consumer.poll(Duration.ofMillis(300)).forEach(seen::add);
                                return seen.stream()
                                        .filter(r -> key.equals(r.key()))
                                        .findFirst();
                            },
                            Optional::isPresent)
                    .orElseThrow();
        }
    }
}
