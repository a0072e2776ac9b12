package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.appPolicy;
import static dev.bulwark.policy.flow.Fixtures.includeGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.Topics;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.DeadLetters;
import dev.bulwark.testsupport.TestEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
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

        DeadLetters.DeadLetter dead = awaitDeadLetter(directoryKey);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(awaitDeadLetter(signOutKey).value()).hasSize(4);

        // The channel goes on: a licence and a membership published after the poison are applied.
        f.licence("olga", true);
        f.join("team", "olga");
        f.createAppPolicy(appPolicy("com.contoso.mail", null, "{}", "[" + includeGroup("team") + "]"));
        f.awaitSignIn("olga", "com.contoso.mail", "PROTECTED");

        // What the alert rules (deploy/prometheus/alerts.yml) read: dead letters by channel and source topic, and
        // the Kafka consumers' lag (Quarkus' Micrometer binder for SmallRye's consumers), the relay's counters.
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("(?m)^bulwark_consumer_dead_letters_total\\{[^}]*topic=\"" + Topics.DIRECTORY
                        + "\"[^}]*\\} [1-9]")
                .containsPattern("(?m)^bulwark_consumer_dead_letters_total\\{[^}]*topic=\"" + Topics.SIGNOUT
                        + "\"[^}]*\\} [1-9]")
                // per client at first; Micrometer adds the topic and partition labels at its next look (every 60 s)
                .containsPattern(
                        "(?m)^kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"kafka-consumer-directory\"")
                .containsPattern("(?m)^bulwark_outbox_failures_total ")
                .containsPattern("(?m)^bulwark_outbox_parked_total ")
                .containsPattern("(?m)^http_server_requests_seconds_count\\{");
    }

    @Test
    void poisonOnTheDevicesAndMdmCommandsTopicsIsDeadLetteredAndLaterEnrollmentsAreStillApplied() {
        Fixtures f = new Fixtures();
        ProfileFixtures p = new ProfileFixtures(f);
        String devicesKey = "poison-" + UUID.randomUUID();
        String commandsKey = "poison-" + UUID.randomUUID();
        TestEvents.publishRaw(
                BulwarkInfra.kafkaBootstrap(), Topics.DEVICES, devicesKey, "not avro".getBytes(StandardCharsets.UTF_8));
        TestEvents.publishRaw(
                BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS, commandsKey, new byte[] {(byte) 0xC3, 0x01, 9});

        assertThat(awaitDeadLetter(devicesKey).value()).hasSize(8);
        assertThat(awaitDeadLetter(commandsKey).value()).hasSize(3);
        p.enroll("after-poison", "uma", dev.bulwark.events.Platform.ANDROID);
        p.awaitDeviceKnown("after-poison");
    }

    private static DeadLetters.DeadLetter awaitDeadLetter(String key) {
        return DeadLetters.await("policy-service", key, Duration.ofSeconds(30));
    }
}
