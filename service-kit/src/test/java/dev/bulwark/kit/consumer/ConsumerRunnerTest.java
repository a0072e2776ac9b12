package dev.bulwark.kit.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.events.UserLicenseChanged;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ConsumerRunnerTest {

    /** The dead-letter topic, kept in memory; it can be told to fail its first sends as a broker away would. */
    private static final class RecordedDeadLetters extends DeadLetterTopic {
        final List<String> reasons = new ArrayList<>();
        int brokerAwayFor;

        RecordedDeadLetters() {
            super("127.0.0.1:1", "test-service");
        }

        @Override
        public void send(ConsumerRecord<String, byte[]> record, Throwable reason) {
            if (brokerAwayFor > 0) {
                brokerAwayFor--;
                throw new DeadLetterNotSent(
                        topic(), new org.apache.kafka.common.errors.TimeoutException("broker away"));
            }
            reasons.add(record.key() + ": " + reason.getMessage());
        }
    }

    private final ConsumerHealth health = new ConsumerHealth();
    private final RecordedDeadLetters deadLetters = new RecordedDeadLetters();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConsumerRunner runner = new ConsumerRunner(health, deadLetters, meters);

    /** bulwark.consumer.dead.letters of a channel and topic (bulwark_consumer_dead_letters_total in Prometheus). */
    private double deadLettersCounted(String channel, String topic) {
        Counter counter = meters.find("bulwark.consumer.dead.letters")
                .tag("channel", channel)
                .tag("topic", topic)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static ConsumerRecord<String, byte[]> licence(String userId) {
        UserLicenseChanged event = UserLicenseChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId("t")
                .setUserId(userId)
                .setLicensed(true)
                .setSku("E3")
                .build();
        return new ConsumerRecord<>("bulwark.directory.v1", 0, 7, userId, EventCodec.encode(event));
    }

    @Test
    void aTransientFailureRetriesTheSameRecordUntilItAppliesAndDeadLettersNothing() {
        AtomicInteger attempts = new AtomicInteger();
        List<Integer> attemptsSeenByReadiness = new ArrayList<>();
        runner.one("directory", licence("ann"), decoded -> {
            attemptsSeenByReadiness.add(health.failing().containsKey("directory") ? 1 : 0);
            if (attempts.incrementAndGet() < 4) {
                throw new IllegalStateException(
                        "could not execute statement", new SQLException("terminating connection", "57P01"));
            }
            assertThat(decoded.event()).isInstanceOf(UserLicenseChanged.class);
        });

        assertThat(attempts).hasValue(4);
        // readiness: fine before the first attempt, failing while retrying, fine again once applied
        assertThat(attemptsSeenByReadiness).containsExactly(0, 1, 1, 1);
        assertThat(health.failing()).isEmpty();
        assertThat(deadLetters.reasons).isEmpty();
        assertThat(deadLettersCounted("directory", "bulwark.directory.v1")).isZero();
    }

    @Test
    void poisonIsDeadLetteredOnceWithItsReasonAndTheChannelGoesOn() {
        AtomicInteger attempts = new AtomicInteger();
        runner.one("directory", licence("bob"), decoded -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("GroupMembershipChanged has an unknown group kind");
        });
        runner.one(
                "directory",
                new ConsumerRecord<>("bulwark.directory.v1", 0, 8, "eve", "not avro".getBytes(StandardCharsets.UTF_8)),
                decoded -> attempts.incrementAndGet());

        assertThat(attempts).hasValue(1);
        assertThat(deadLetters.reasons).hasSize(2);
        assertThat(deadLetters.reasons.get(0)).isEqualTo("bob: GroupMembershipChanged has an unknown group kind");
        assertThat(deadLetters.reasons.get(1)).startsWith("eve: ");
        assertThat(deadLettersCounted("directory", "bulwark.directory.v1")).isEqualTo(2);
        assertThat(health.failing()).isEmpty();
    }

    @Test
    void aDeadLetterTheBrokerDoesNotTakeIsSentAgainRatherThanDropped() {
        deadLetters.brokerAwayFor = 2;
        runner.one("directory", licence("cy"), decoded -> {
            throw new IllegalArgumentException("invalid");
        });

        assertThat(deadLetters.reasons).containsExactly("cy: invalid");
        assertThat(deadLettersCounted("directory", "bulwark.directory.v1")).isEqualTo(1);
        assertThat(health.failing()).isEmpty();
    }
}
