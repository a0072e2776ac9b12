package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.EVENT_TIMEOUT;
import static dev.bulwark.policy.flow.ProfileFixtures.allDevices;
import static dev.bulwark.policy.flow.ProfileFixtures.outcome;
import static dev.bulwark.policy.flow.ProfileFixtures.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.DeadLetters;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The devices consumer applies a poll's check-ins as one batch: in a bounded number of transactions, each event once
 * (a copy in the same batch too), and a record that fails for good goes to the dead-letter topic while its neighbours
 * are applied. Real Kafka, real PostgreSQL; the transactions are counted by the inbox rows' {@code xmin} (the id of
 * the transaction that wrote them, which is the one that applied the event).
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class DeviceBatchTest {

    private static final int DEVICES = 200;
    private static final String USER = "ada";
    /** Many events at once on a shared 2-core machine: more time than one event's {@link Fixtures#EVENT_TIMEOUT}. */
    private static final Duration BULK_TIMEOUT = Duration.ofMinutes(2);

    @Inject
    AgroalDataSource database;

    private Fixtures f;
    private ProfileFixtures p;
    private Burst topic;

    @BeforeEach
    void open() {
        f = new Fixtures();
        p = new ProfileFixtures(f);
        topic = new Burst(Topics.DEVICES);
    }

    @AfterEach
    void close() {
        topic.close();
    }

    @Test
    void aPollOfCheckInsIsAppliedInAFewTransactionsNotOnePerEvent() {
        List<String> devices = devices("d", DEVICES);
        String profileId = pendingOn(devices);

        List<String> eventIds = new ArrayList<>();
        for (String device : devices) {
            DeviceStateReported report = p.checkIn(
                    device,
                    USER,
                    Instant.now(),
                    List.of(outcome(profileId, 1, ConfigurationProfileState.APPLIED, null)));
            eventIds.add(report.getEventId());
            topic.send(device, report);
        }
        topic.flush();

        awaitCount("every device's profile APPLIED", "APPLIED", DEVICES);
        long transactions = Rows.transactions(database, "policy-service.devices", eventIds);
        // one transaction per poll: a handful, however the producer's sends fell into polls (one per event before)
        assertThat(transactions).isBetween(1L, (long) DEVICES / 10);
    }

    @Test
    void aCopyOfAnEventInTheSameBatchIsAppliedOnce() {
        String device = "dup-" + UUID.randomUUID();
        String profileId = pendingOn(List.of(device));
        Instant at = Instant.now();
        DeviceStateReported applied =
                p.checkIn(device, USER, at, List.of(outcome(profileId, 1, ConfigurationProfileState.APPLIED, null)));
        DeviceStateReported failed =
                p.checkIn(device, USER, at, List.of(outcome(profileId, 1, ConfigurationProfileState.FAILED, "flaky")));
        // a check-in of a profile never sent to the device changes nothing; its inbox row says it was consumed
        DeviceStateReported last = p.checkIn(
                device, USER, at, List.of(outcome("no-such-profile", 1, ConfigurationProfileState.APPLIED, null)));
        topic.send(device, applied);
        topic.send(device, failed);
        topic.send(device, applied);
        topic.send(device, last);
        topic.flush();

        await("the last check-in consumed")
                .atMost(EVENT_TIMEOUT)
                .until(() -> queryLong(
                                "select count(*) from processed_event where consumer = 'policy-service.devices'"
                                        + " and event_id = ?",
                                last.getEventId())
                        == 1);
        // applied again, the copy would have made the profile APPLIED (same occurredAt as the FAILED one)
        assertThat(queryString(
                        "select status || ' ' || coalesce(reason, '-') from profile_delivery where tenant_id = ? and device_id = ?",
                        f.tenant,
                        device))
                .isEqualTo("FAILED flaky");
    }

    @Test
    void aRecordThatFailsForGoodIsDeadLetteredWhileTheOthersOfItsBatchAreApplied() {
        List<String> devices = devices("n", 20);
        String profileId = pendingOn(devices);
        String poisonKey = "poison-" + UUID.randomUUID();
        for (int i = 0; i < devices.size(); i++) {
            if (i == devices.size() / 2) {
                // PostgreSQL refuses a NUL character in text: this check-in can never be applied
                topic.send(
                        poisonKey,
                        p.checkIn(
                                "bad\u0000device",
                                USER,
                                Instant.now(),
                                List.of(outcome(profileId, 1, ConfigurationProfileState.APPLIED, null))));
            }
            topic.send(
                    devices.get(i),
                    p.checkIn(
                            devices.get(i),
                            USER,
                            Instant.now(),
                            List.of(outcome(profileId, 1, ConfigurationProfileState.APPLIED, null))));
        }
        topic.flush();

        assertThat(DeadLetters.await("policy-service", poisonKey, BULK_TIMEOUT).headers())
                .containsKey("dead-letter-reason");
        awaitCount("the poison's neighbours APPLIED", "APPLIED", devices.size());
    }

    private List<String> devices(String prefix, int count) {
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(prefix + "-" + f.tenant + "-" + i);
        }
        return devices;
    }

    /** Enrolls the devices, gives them all a profile and waits until it is PENDING on every one; returns its id. */
    private String pendingOn(List<String> devices) {
        for (String device : devices) {
            topic.send(device, p.enrollment(device, USER, Platform.ANDROID));
        }
        topic.flush();
        String profileId = p.create(profile(
                "Passcode",
                "ANDROID",
                "PASSWORD",
                "{\"minimumLength\": 8, \"complexity\": \"ALPHANUMERIC\"}",
                "[" + allDevices() + "]"));
        awaitCount("the profile PENDING on every device", "PENDING", devices.size());
        return profileId;
    }

    private void awaitCount(String what, String status, int count) {
        await(what)
                .atMost(BULK_TIMEOUT)
                .until(() -> queryLong(
                                "select count(*) from profile_delivery where tenant_id = ? and status = ?",
                                f.tenant,
                                status)
                        == count);
    }

    private long queryLong(String sql, Object... parameters) {
        return Rows.count(database, sql, parameters);
    }

    private String queryString(String sql, Object... parameters) {
        return Rows.value(database, sql, parameters);
    }
}
