package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.ManagedComplianceFlowTest.access;
import static dev.bulwark.compliance.flow.ManagedComplianceFlowTest.subject;
import static dev.bulwark.compliance.flow.ManagedComplianceFlowTest.timeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.compliance.remediation.DeadlineJob;
import dev.bulwark.compliance.remediation.DeadlineStatus;
import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.compliance.watermark.Watermarks;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.Platform;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Remediation enabled with a two-second deadline: a failing device is blocked while it may recover, and is signed out
 * once, durably, when the deadline passes; a device that recovers in time is never signed out.
 */
@QuarkusTest
@TestProfile(RemediationEnabledProfile.class)
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class RemediationDeadlineFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    EntityManager entityManager;

    @Inject
    SubjectCompliance subjects;

    @Inject
    DeadlineJob deadlineJob;

    @Inject
    Watermarks watermarks;

    @Inject
    Scheduler scheduler;

    @Test
    void ifRemediationDoesNotSucceedWithinTheDeadlineTheUserIsSignedOutExactlyOnce() {
        DeviceEvents device = DeviceEvents.newDevice();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.IOS, "16.7"));
            DeviceStateReported report = device.report(Platform.IOS, "16.7", true, false);
            device.publish(report);

            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(failed.getRemediationEnabled()).isTrue();
            // in event time: the deadline after the report occurred, however long it took to process it
            assertThat(failed.getRemediationDeadline())
                    .isEqualTo(report.getOccurredAt()
                            .truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                            .plus(Duration.parse(RemediationEnabledProfile.DEADLINE)));

            RemediationAttempted pending = compliance.await(
                    RemediationAttempted.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(pending.getStatus()).isEqualTo(RemediationStatus.PENDING);
            assertThat(pending.getDeadline()).isEqualTo(failed.getRemediationDeadline());
            assertThat(pending.getUserId()).isEqualTo(device.userId);

            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_FAILED);
            assertThat(signOut.getUserId()).isEqualTo(device.userId);
            assertThat(signOut.getCauseEventId()).isEqualTo(report.getEventId());
            assertThat(signOut.getOccurredAt()).isAfterOrEqualTo(failed.getRemediationDeadline());
            assertThat(signOut.getUserMessage()).contains("16.7");
            RemediationAttempted failedAttempt = compliance.await(
                    RemediationAttempted.class,
                    e -> e.getAttemptId().equals(pending.getAttemptId()) && e.getStatus() == RemediationStatus.FAILED,
                    EVENT_TIMEOUT);
            assertThat(failedAttempt.getDetail()).contains("deadline");

            // Firing again, as a second replica or a late round would, changes nothing.
            for (Long id : deadlineIds(device)) {
                subjects.fireDeadline(id, java.time.Instant.now());
            }
            signOuts.assertNone(
                    SignOutRequired.class,
                    e -> e.getSubjectId().equals(device.deviceId)
                            && !e.getEventId().equals(signOut.getEventId()),
                    Duration.ofSeconds(3));
            assertThat(compliance.all())
                    .filteredOn(received -> received.event() instanceof RemediationAttempted attempt
                            && attempt.getSubjectId().equals(device.deviceId))
                    .hasSize(2);
        }

        assertThat(deadlineStatuses(device)).containsExactly(DeadlineStatus.FIRED.name());
        subject(device).statusCode(200).body("state", equalTo("SIGNED_OUT")).body("remediationDueAt", nullValue());
        timeline(device)
                .body(
                        "entries.kind",
                        contains("COMPLIANCE_FAILED", "REMEDIATION_STARTED", "REMEDIATION_ENDED", "SIGNED_OUT"))
                .body("entries[2].detail.status", equalTo("FAILED"))
                .body("entries[3].detail.reason", equalTo("REMEDIATION_FAILED"));
        access(device, TestTokens.admin(device.tenantId)).body("decision", equalTo("SIGNED_OUT"));
    }

    @Test
    void aDeviceThatIsBlockedWhileRemediatingAndRecoversInTimeIsNeverSignedOut() {
        DeviceEvents device = DeviceEvents.newDevice();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.ANDROID, "14"));
            device.publish(device.report(Platform.ANDROID, "14", false, false));
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> subject(device)
                    .statusCode(200)
                    .body("state", equalTo("NON_COMPLIANT_REMEDIATING"))
                    .body("remediationDueAt", notNullValue()));
            access(device, TestTokens.user(device.tenantId, device.userId))
                    .statusCode(200)
                    .body("decision", equalTo("BLOCK"));

            DeviceStateReported fixed = device.report(Platform.ANDROID, "14", true, false);
            device.publish(fixed);
            ComplianceRestored restored = compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(restored.getCauseEventId()).isEqualTo(fixed.getEventId());
            assertThat(compliance.all())
                    .extracting(TopicProbe.ReceivedEvent::event)
                    .filteredOn(event -> event instanceof RemediationAttempted attempt
                            && attempt.getSubjectId().equals(device.deviceId))
                    .extracting(event -> ((RemediationAttempted) event).getStatus())
                    .containsExactly(RemediationStatus.PENDING, RemediationStatus.SUCCEEDED);
            subject(device).statusCode(200).body("state", equalTo("COMPLIANT"));

            // Quiet for longer than the deadline plus a few job rounds.
            Duration wellPastDeadline =
                    Duration.parse(RemediationEnabledProfile.DEADLINE).plusSeconds(2);
            signOuts.assertNone(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), wellPastDeadline);
        }
        assertThat(deadlineStatuses(device)).containsExactly(DeadlineStatus.CANCELLED.name());
        timeline(device)
                .body(
                        "entries.kind",
                        contains(
                                "COMPLIANCE_FAILED",
                                "REMEDIATION_STARTED",
                                "REMEDIATION_ENDED",
                                "COMPLIANCE_RESTORED"));
    }

    @Test
    void aBacklogOfDueDeadlinesSeveralPagesLongAllFiresInOneRoundOfTheJob() {
        int backlog = RemediationEnabledProfile.DEADLINE_PAGE * 2 + 2;
        scheduler.pause(DeadlineJob.IDENTITY);
        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            List<DeviceEvents> devices = IntStream.range(0, backlog)
                    .mapToObj(i -> DeviceEvents.newDevice())
                    .toList();
            for (DeviceEvents device : devices) {
                device.publish(device.enrolled(Platform.IOS, "16.7"));
                device.publish(device.report(Platform.IOS, "16.7", true, false));
            }
            await().atMost(EVENT_TIMEOUT)
                    .untilAsserted(() -> assertThat(devices).allSatisfy(device -> assertThat(deadlineStatuses(device))
                            .containsExactly(DeadlineStatus.PENDING.name())));
            Instant lastDue = devices.stream()
                    .map(this::dueAt)
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
            await().atMost(EVENT_TIMEOUT).until(() -> watermarks
                    .devicesHorizon()
                    .filter(h -> !h.isBefore(lastDue))
                    .isPresent());

            deadlineJob.fireDue();

            assertThat(devices)
                    .as(
                            "one round fires every due deadline, not one page of %d",
                            RemediationEnabledProfile.DEADLINE_PAGE)
                    .allSatisfy(device ->
                            assertThat(deadlineStatuses(device)).containsExactly(DeadlineStatus.FIRED.name()));
            for (DeviceEvents device : devices) {
                signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            }
        } finally {
            scheduler.resume(DeadlineJob.IDENTITY);
        }
    }

    private Instant dueAt(DeviceEvents device) {
        return inTransaction(() -> entityManager
                .createQuery(
                        "select d.dueAt from RemediationDeadline d where d.tenantId = :t and d.subjectId = :s",
                        Instant.class)
                .setParameter("t", device.tenantId)
                .setParameter("s", device.deviceId)
                .getSingleResult());
    }

    private List<Long> deadlineIds(DeviceEvents device) {
        return inTransaction(() -> entityManager
                .createQuery(
                        "select d.id from RemediationDeadline d where d.tenantId = :t and d.subjectId = :s", Long.class)
                .setParameter("t", device.tenantId)
                .setParameter("s", device.deviceId)
                .getResultList());
    }

    private List<String> deadlineStatuses(DeviceEvents device) {
        return inTransaction(() -> entityManager
                .createNativeQuery(
                        "select status from remediation_deadline where tenant_id = ?1 and subject_id = ?2",
                        String.class)
                .setParameter(1, device.tenantId)
                .setParameter(2, device.deviceId)
                .getResultList());
    }

    private static <T> T inTransaction(java.util.function.Supplier<T> work) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(work::get);
    }

    private static TopicProbe probe(String topic) {
        return TopicProbe.open(BulwarkInfra.kafkaBootstrap(), topic);
    }
}
