package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.ManagedComplianceFlowTest.subject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.compliance.evaluation.TenantPolicyLocks;
import dev.bulwark.compliance.watermark.Watermarks;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.Platform;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Deadlines in event time, on real Kafka and PostgreSQL. A backlog is made the way load makes one: the consumer stands
 * in front of a lock (the tenant's policy lock, held from the test's own database session as a policy change would
 * hold it) while records wait behind it in the topic and the wall clock passes the deadline. A fix the device reported
 * before its deadline still counts; a subject that never fixes is signed out once the watermark has passed its due time,
 * and not while a partition lags; a fix that reaches the topic later than the allowed lateness finds its deadline fired,
 * restores the subject and is counted as late. The two backlog tests signed the subject out during the backlog on the
 * code before the watermark (processing-time deadlines).
 */
@QuarkusTest
@TestProfile(EventTimeDeadlineFlowTest.ShortDeadline.class)
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class EventTimeDeadlineFlowTest {

    /** The baseline with remediation on, a short deadline, and an allowed lateness above this test's publish delay. */
    public static class ShortDeadline implements QuarkusTestProfile {

        // long enough that a loaded machine still processes the failing report before its deadline passes
        static final Duration DEADLINE = Duration.ofSeconds(10);
        static final Duration LATENESS = Duration.ofSeconds(5);

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "bulwark.compliance.baseline.remediation-enabled", "true",
                    "bulwark.compliance.baseline.remediation-deadline", DEADLINE.toString(),
                    "bulwark.compliance.remediation.poll-interval", "0.5s",
                    "bulwark.compliance.watermark.poll-interval", "0.5s",
                    "bulwark.compliance.watermark.allowed-lateness", LATENESS.toString());
        }
    }

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);
    /** A few rounds of the watermark and deadline jobs. */
    private static final Duration ROUNDS = Duration.ofMillis(1500);

    @Inject
    Watermarks watermarks;

    @Inject
    EntityManager entityManager;

    @Inject
    MeterRegistry meters;

    @Test
    void aFixReportedBeforeTheDeadlineCountsEvenWhenABacklogDelaysItsProcessingPastTheDeadline() throws SQLException {
        DeviceEvents device = DeviceEvents.newDevice();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            DeviceStateReported failing = device.report(Platform.ANDROID, "14", false, false);
            // the device fixes itself two seconds after it reported the failure, well before its deadline
            DeviceStateReported fixed = device.report(Platform.ANDROID, "14", true, false);
            fixed.setOccurredAt(failing.getOccurredAt().plusSeconds(2));
            fixed.setLastContactAt(fixed.getOccurredAt());
            Instant dueAt = failAndAwaitRemediation(device, failing, compliance);
            assertThat(fixed.getOccurredAt()).isBefore(dueAt);

            try (Connection policyChange = session()) {
                holdPolicyLock(policyChange, device.tenantId);
                // the fix's report reaches the topic, and waits there behind the lock
                device.publish(fixed);
                awaitConsumerWaitingFor(device.tenantId);

                // the wall clock passes the deadline, the allowed lateness and a few job rounds
                signOuts.assertNone(
                        SignOutRequired.class,
                        e -> e.getSubjectId().equals(device.deviceId),
                        untilPast(dueAt.plus(ShortDeadline.LATENESS).plus(ROUNDS)));
                assertThat(watermarks.devicesHorizon())
                        .as("the watermark waits for the partition that holds the fix")
                        .hasValueSatisfying(horizon -> assertThat(horizon).isBefore(dueAt));
                assertThat(deadlineStatuses(device)).containsExactly("PENDING");
                policyChange.rollback();
            }

            ComplianceRestored restored = compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(restored.getCauseEventId()).isEqualTo(fixed.getEventId());
            signOuts.assertNone(
                    SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), ROUNDS.multipliedBy(2));
        }
        assertThat(deadlineStatuses(device)).containsExactly("CANCELLED");
        subject(device).statusCode(200).body("state", equalTo("COMPLIANT"));
    }

    @Test
    void aSubjectThatNeverFixesIsSignedOutOnceTheWatermarkPassesItsDueTimeAndNotWhileAPartitionLags()
            throws SQLException {
        DeviceEvents device = DeviceEvents.newDevice();
        DeviceEvents busy = DeviceEvents.newDevice();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            Instant dueAt =
                    failAndAwaitRemediation(device, device.report(Platform.ANDROID, "14", false, false), compliance);

            Instant released;
            try (Connection policyChange = session()) {
                // another tenant's check-in stands in front of a lock: its partition lags, whichever it is
                holdPolicyLock(policyChange, busy.tenantId);
                busy.publish(busy.enrolled(Platform.IOS, "17.1"));
                awaitConsumerWaitingFor(busy.tenantId);

                signOuts.assertNone(
                        SignOutRequired.class,
                        e -> e.getSubjectId().equals(device.deviceId),
                        untilPast(dueAt.plus(ShortDeadline.LATENESS).plus(ROUNDS)));
                subject(device).statusCode(200).body("state", equalTo("NON_COMPLIANT_REMEDIATING"));
                assertThat(deadlineStatuses(device)).containsExactly("PENDING");
                released = Instant.now();
                policyChange.rollback();
            }

            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_FAILED);
            assertThat(signOut.getOccurredAt())
                    .as("fired once the lagging partition caught up and the watermark passed the due time")
                    .isAfterOrEqualTo(released)
                    .isAfterOrEqualTo(dueAt.plus(ShortDeadline.LATENESS));
        }
        assertThat(deadlineStatuses(device)).containsExactly("FIRED");
    }

    @Test
    void aFixLaterThanTheAllowedLatenessFindsItsDeadlineFiredRestoresTheSubjectAndIsCountedAsLate() {
        DeviceEvents device = DeviceEvents.newDevice();
        double lateBefore = lateFixes();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            DeviceStateReported failing = device.report(Platform.ANDROID, "14", false, false);
            DeviceStateReported fixed = device.report(Platform.ANDROID, "14", true, false);
            fixed.setOccurredAt(failing.getOccurredAt().plusSeconds(2));
            fixed.setLastContactAt(fixed.getOccurredAt());
            failAndAwaitRemediation(device, failing, compliance);
            // nothing holds the partition back: the deadline fires once the watermark passes it
            signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);

            // the fix, reported before the deadline, reaches the topic only now: later than the allowed lateness
            device.publish(fixed);
            ComplianceRestored restored = compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(restored.getCauseEventId()).isEqualTo(fixed.getEventId());
        }
        assertThat(lateFixes()).isEqualTo(lateBefore + 1);
        subject(device).statusCode(200).body("state", equalTo("COMPLIANT"));
    }

    private double lateFixes() {
        Counter counter = meters.find("bulwark.compliance.late.fixes").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The device fails the baseline (unencrypted) with remediation on; returns its remediation's due time. */
    private static Instant failAndAwaitRemediation(
            DeviceEvents device, DeviceStateReported failing, TopicProbe compliance) {
        device.publish(device.enrolled(Platform.ANDROID, "14"));
        device.publish(failing);
        ComplianceFailed failed =
                compliance.await(ComplianceFailed.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
        assertThat(failed.getRemediationDeadline())
                .as("due the deadline after the report occurred, not after it was processed")
                .isEqualTo(
                        failing.getOccurredAt().truncatedTo(ChronoUnit.MILLIS).plus(ShortDeadline.DEADLINE));
        return failed.getRemediationDeadline();
    }

    /** How long until {@code moment} has passed; at least a few job rounds however slow the machine was so far. */
    private static Duration untilPast(Instant moment) {
        Duration left = Duration.between(Instant.now(), moment);
        return left.compareTo(ROUNDS) < 0 ? ROUNDS : left;
    }

    private List<String> deadlineStatuses(DeviceEvents device) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery(
                        "select status from remediation_deadline where tenant_id = ?1 and subject_id = ?2",
                        String.class)
                .setParameter(1, device.tenantId)
                .setParameter(2, device.deviceId)
                .getResultList());
    }

    private static Connection session() throws SQLException {
        var config = ConfigProvider.getConfig();
        Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(""));
        connection.setAutoCommit(false);
        return connection;
    }

    /** Takes the tenant's policy lock exclusively, as a policy change does; held until the session rolls back. */
    private static void holdPolicyLock(Connection session, String tenantId) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(
                "select cast(pg_advisory_xact_lock(" + TenantPolicyLocks.NAMESPACE + ", ?) as text)")) {
            statement.setInt(1, TenantPolicyLocks.key(tenantId));
            statement.execute();
        }
    }

    /** Waits until the consumer's batch stands in front of the tenant's policy lock (PostgreSQL shows it waiting). */
    private static void awaitConsumerWaitingFor(String tenantId) {
        await("the consumer waiting for the policy lock of " + tenantId)
                .atMost(EVENT_TIMEOUT)
                .until(() -> waiters(tenantId) > 0);
    }

    private static long waiters(String tenantId) throws SQLException {
        try (Connection connection = session();
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from pg_locks where locktype = 'advisory' and not granted"
                                + " and objsubid = 2 and classid::bigint = ? and objid::bigint = ?")) {
            statement.setLong(1, Integer.toUnsignedLong(TenantPolicyLocks.NAMESPACE));
            statement.setLong(2, Integer.toUnsignedLong(TenantPolicyLocks.key(tenantId)));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static TopicProbe probe(String topic) {
        return TopicProbe.open(BulwarkInfra.kafkaBootstrap(), topic);
    }
}
