package dev.bulwark.compliance.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.DatabaseOutage;
import dev.bulwark.testsupport.DeadLetters;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Transient is not poison: device events that arrive while compliance-service's database is away (connections refused,
 * sessions terminated) wait in their batch — retried, readiness DOWN naming the channel, nothing dead-lettered — and
 * once the database is back every check-in is judged exactly once.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class DatabaseOutageFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    EntityManager entityManager;

    @Test
    void checkInsThatArriveWhileTheDatabaseIsAwayAreJudgedOnceItIsBackAndNoneIsDeadLettered() {
        DeviceEvents first = DeviceEvents.newDevice();
        List<DeviceEvents> devices = IntStream.range(0, 10)
                .mapToObj(i -> DeviceEvents.of(first.tenantId, "user-" + i))
                .toList();
        List<String> keys = devices.stream().map(d -> d.deviceId).toList();
        List<String> eventIds = new ArrayList<>();
        try (TopicProbe compliance = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.COMPLIANCE)) {
            // the flow runs before the outage
            first.publish(first.enrolled(Platform.ANDROID, "13"));
            first.publish(first.failingReport());
            compliance.await(ComplianceFailed.class, e -> e.getSubjectId().equals(first.deviceId), EVENT_TIMEOUT);

            try (DatabaseOutage outage = DatabaseOutage.begin(database())) {
                for (DeviceEvents device : devices) {
                    var enrolled = device.enrolled(Platform.ANDROID, "13");
                    var report = device.failingReport();
                    eventIds.add(Envelope.eventId(enrolled));
                    eventIds.add(Envelope.eventId(report));
                    device.publish(enrolled);
                    device.publish(report);
                }
                // the devices channel retries the same batch and says so (today's code dead-letters it instead)
                await("readiness DOWN naming the devices channel after several attempts, or a dead letter")
                        .atMost(EVENT_TIMEOUT)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> Readiness.attempts("devices") >= 4
                                || DeadLetters.keys("compliance-service").stream()
                                        .anyMatch(keys::contains));
                assertThat(DeadLetters.keys("compliance-service")).doesNotContainAnyElementsOf(keys);
                assertThat(Readiness.attempts("devices")).isGreaterThanOrEqualTo(4);
            }

            await("readiness UP again").atMost(EVENT_TIMEOUT).until(Readiness::consumersUp);
            // each device judged exactly once: one ComplianceFailed per device, no second one after a quiet spell
            await("one ComplianceFailed per device, and only one")
                    .atMost(EVENT_TIMEOUT)
                    .during(Duration.ofSeconds(3))
                    .until(() -> keys.stream()
                            .allMatch(key -> compliance.all().stream()
                                            .filter(r -> r.event() instanceof ComplianceFailed failed
                                                    && failed.getSubjectId().equals(key))
                                            .count()
                                    == 1));
        }
        assertThat(DeadLetters.keys("compliance-service")).doesNotContainAnyElementsOf(keys);
        assertThat(inboxRows(eventIds)).isEqualTo(eventIds.size());
    }

    private long inboxRows(List<String> eventIds) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                        .createNativeQuery(
                                "select count(*) from processed_event where consumer = ?1 and event_id in ?2")
                        .setParameter(1, "compliance-service.devices")
                        .setParameter(2, eventIds)
                        .getSingleResult())
                .longValue());
    }

    private static String database() {
        return DatabaseOutage.databaseOf(
                ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class));
    }
}
