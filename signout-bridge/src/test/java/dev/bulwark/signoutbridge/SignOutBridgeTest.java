package dev.bulwark.signoutbridge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.EventCodec;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.idp.DemoRealm;
import dev.bulwark.idp.KeycloakAccounts;
import dev.bulwark.idp.KeycloakAccounts.Tokens;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge as it runs: SignOutRequired records published to the real topic by Bulwark's own encoder, carried out at
 * a real Keycloak, judged by what Keycloak then does with the user's refresh tokens.
 */
@QuarkusTest
@WithTestResource(BridgeInfra.class)
class SignOutBridgeTest {

    private static final String CLI = DemoRealm.CLI_CLIENT;
    private static final String PASSWORD = "bridge-test-password";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static KafkaProducer<String, byte[]> producer;

    @Inject
    SessionEnder keycloak;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BulwarkInfra.kafkaBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @Test
    void aSignOutRequiredEndsEveryOneOfTheUsersSessionsSoTheirRefreshTokensAreRefused() {
        String user = newUser();
        KeycloakAccounts accounts = BridgeInfra.accounts();
        String keycloakId = accounts.userId(user);
        Tokens phone = accounts.signIn(CLI, user, PASSWORD, false);
        Tokens laptop = accounts.signIn(CLI, user, PASSWORD, false);
        Tokens offline = accounts.signIn(CLI, user, PASSWORD, true);
        assertThat(accounts.refreshes(CLI, phone.refreshToken())).isTrue();
        double before = metric("signouts_carried_out_total", "scope=\"user\"");

        Instant at = Instant.now();
        publish(signOut(user, List.of(), at));

        // counted once every session is ended, the offline ones last
        await().atMost(WITHIN).until(() -> metric("signouts_carried_out_total", "scope=\"user\"") >= before + 1);
        assertThat(accounts.refreshes(CLI, phone.refreshToken())).isFalse();
        assertThat(accounts.refreshes(CLI, laptop.refreshToken())).isFalse();
        assertThat(accounts.refreshes(CLI, offline.refreshToken()))
                .as("an offline token of the user's is refused too")
                .isFalse();
        assertThat(accounts.notBefore(keycloakId))
                .as("tokens issued before the event are refused whatever becomes of their session")
                .isBetween(at.getEpochSecond(), Instant.now().getEpochSecond());
    }

    @Test
    void carriedOutAgainTheSameEventLeavesASessionTheUserBeganAfterItAlone() throws Exception {
        String user = newUser();
        KeycloakAccounts accounts = BridgeInfra.accounts();
        Tokens old = accounts.signIn(CLI, user, PASSWORD, false);
        SignOut event = new SignOut(
                UUID.randomUUID().toString(), Instant.now(), "demo", user, List.of(), "REMEDIATION_DISABLED");
        assertThat(keycloak.endSessions(event)).isEqualTo(new SessionEnder.Ended(1, 0));
        // Keycloak keeps a session's start to the second: begin the new one in a later second than the event
        sleepUntil(event.occurredAt().truncatedTo(ChronoUnit.SECONDS).plusMillis(1_100));
        Tokens fresh = accounts.signIn(CLI, user, PASSWORD, false);

        SessionEnder.Outcome again = keycloak.endSessions(event);

        assertThat(again).isEqualTo(new SessionEnder.Ended(0, 0));
        assertThat(accounts.refreshes(CLI, fresh.refreshToken())).isTrue();
        assertThat(accounts.refreshes(CLI, old.refreshToken())).isFalse();
    }

    @Test
    void aSignOutNamingAnAppEndsTheSessionsOfThatAppsClientOnly() {
        String user = newUser();
        KeycloakAccounts accounts = BridgeInfra.accounts();
        Tokens mail = accounts.signIn(BridgeInfra.MAIL_CLIENT, user, PASSWORD, false);
        Tokens cli = accounts.signIn(CLI, user, PASSWORD, false);

        publish(signOut(user, List.of(BridgeInfra.MAIL_APP), Instant.now()));

        await().atMost(WITHIN).until(() -> !accounts.refreshes(BridgeInfra.MAIL_CLIENT, mail.refreshToken()));
        assertThat(accounts.refreshes(CLI, cli.refreshToken()))
                .as("the session of another client, not named")
                .isTrue();
    }

    @Test
    void aRecordItCannotReadIsDeadLetteredWithItsReasonAndTheNextIsCarriedOut() {
        String user = newUser();
        KeycloakAccounts accounts = BridgeInfra.accounts();
        Tokens tokens = accounts.signIn(CLI, user, PASSWORD, false);
        byte[] garbage = ("not avro " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);

        send(user, garbage);
        publish(signOut(user, List.of(), Instant.now()));

        await().atMost(WITHIN).until(() -> !accounts.refreshes(CLI, tokens.refreshToken()));
        ConsumerRecord<String, byte[]> letter = deadLetter(garbage);
        assertThat(header(letter, "bulwark-dlq-cause")).isEqualTo("unreadable");
        assertThat(header(letter, "bulwark-dlq-reason")).contains("single-object");
        assertThat(header(letter, "bulwark-dlq-origin")).startsWith("bulwark.signout.v1/");
    }

    @Test
    void aUserKeycloakDoesNotKnowIsSkippedAndTheNextIsCarriedOut() {
        String user = newUser();
        KeycloakAccounts accounts = BridgeInfra.accounts();
        Tokens tokens = accounts.signIn(CLI, user, PASSWORD, false);
        double before = metric("signouts_skipped_total", "cause=\"unknown_user\"");

        publish(signOut("nobody-" + UUID.randomUUID(), List.of(), Instant.now()));
        publish(signOut(user, List.of(), Instant.now()));

        await().atMost(WITHIN).until(() -> !accounts.refreshes(CLI, tokens.refreshToken()));
        await().atMost(WITHIN).until(() -> metric("signouts_skipped_total", "cause=\"unknown_user\"") >= before + 1);
    }

    @Test
    void whileKeycloakIsAwayTheSignOutWaitsNotReadyAndIsCarriedOutWhenItIsBack() {
        String user = newUser();
        KeycloakAccounts accounts = BridgeInfra.accounts();
        Tokens tokens = accounts.signIn(CLI, user, PASSWORD, false);
        await().atMost(WITHIN).until(() -> ready() == 200);
        double failures = metric("signouts_provider_failures_total", "provider=\"keycloak\"");
        Forwarder forwarder = BridgeInfra.forwarder();
        forwarder.cut();
        try {
            publish(signOut(user, List.of(), Instant.now()));

            await().atMost(WITHIN).until(() -> ready() == 503);
            await().atMost(WITHIN)
                    .until(() -> metric("signouts_provider_failures_total", "provider=\"keycloak\"") >= failures + 2);
            assertThat(accounts.refreshes(CLI, tokens.refreshToken()))
                    .as("nothing carried out while Keycloak is away")
                    .isTrue();
        } finally {
            forwarder.resume();
        }

        await().atMost(WITHIN).until(() -> !accounts.refreshes(CLI, tokens.refreshToken()));
        await().atMost(WITHIN).until(() -> ready() == 200);
    }

    private static String newUser() {
        String user = "bridge-" + UUID.randomUUID().toString().substring(0, 8);
        BridgeInfra.accounts().createUser(user, PASSWORD);
        return user;
    }

    private static SignOutRequired signOut(String user, List<String> apps, Instant at) {
        SignOutRequired event = SignOutRecordsTest.signOut(user, apps);
        event.setOccurredAt(at);
        return event;
    }

    private static void publish(SignOutRequired event) {
        send(event.getUserId(), EventCodec.encode(event));
    }

    private static void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>("bulwark.signout.v1", key, value))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConsumerRecord<String, byte[]> deadLetter(byte[] value) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BulwarkInfra.kafkaBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "dlq-reader-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("bulwark.signout-bridge.dlq.v1"));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(WITHIN).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (java.util.Arrays.equals(r.value(), value)) {
                        found.add(r);
                    }
                });
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static int ready() {
        return given().get("/q/health/ready").statusCode();
    }

    /** The value of a counter in /q/metrics whose labels include the given one, 0 when not exported yet. */
    private static double metric(String name, String label) {
        String body = given().get("/q/metrics").asString();
        double total = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    /** Waits for the clock itself (no event to wait for): Keycloak's second must have turned. */
    private static void sleepUntil(Instant moment) {
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().isAfter(moment));
    }
}
