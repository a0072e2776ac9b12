package dev.bulwark.compliance.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.DeadLetters;
import dev.bulwark.testsupport.TestEvents;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The managed path end to end on real Kafka and PostgreSQL, with the baseline's remediation disabled: check-ins in on
 * bulwark.devices.v1, verdicts out on bulwark.compliance.v1 and bulwark.signout.v1, state, "why" and access over REST.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class ManagedComplianceFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(3);

    @Test
    void ifRemediationIsDisabledAFailingDeviceFailsAndItsUserIsSignedOutOfEveryProtectedApp() {
        DeviceEvents device = DeviceEvents.newDevice();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.ANDROID, "13"));
            DeviceStateReported report = device.failingReport();
            device.publish(report);

            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(failed.getTenantId()).isEqualTo(device.tenantId);
            assertThat(failed.getManagementType()).isEqualTo(ManagementType.MANAGED);
            assertThat(failed.getUserId()).isEqualTo(device.userId);
            assertThat(failed.getRemediationEnabled()).isFalse();
            assertThat(failed.getRemediationDeadline()).isNull();
            assertThat(failed.getCauseEventId()).isEqualTo(report.getEventId());
            assertThat(failed.getViolations())
                    .extracting(RuleViolation::getRule, RuleViolation::getExpected, RuleViolation::getActual)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("minimumOsVersion", ">= 14", "13"),
                            org.assertj.core.groups.Tuple.tuple("jailbroken", "false", "true"),
                            org.assertj.core.groups.Tuple.tuple("encryptionRequired", "true", "false"));
            assertCloudEventHeaders(compliance, failed.getEventId(), "ComplianceFailed", device.deviceId);

            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(signOut.getTenantId()).isEqualTo(device.tenantId);
            assertThat(signOut.getUserId()).isEqualTo(device.userId);
            assertThat(signOut.getManagementType()).isEqualTo(ManagementType.MANAGED);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_DISABLED);
            assertThat(signOut.getAppIds())
                    .as("empty = every protected app on the device")
                    .isEmpty();
            assertThat(signOut.getUserMessage())
                    .startsWith(
                            "Your organization's policy requires you to sign back in. Your device is not compliant: ")
                    .contains("13")
                    .contains("jailbroken");
            assertThat(signOut.getViolations()).hasSize(3);
            assertThat(signOut.getCauseEventId()).isEqualTo(report.getEventId());
            assertCloudEventHeaders(signOuts, signOut.getEventId(), "SignOutRequired", device.userId);
        }

        subject(device)
                .statusCode(200)
                .body("subjectId", equalTo(device.deviceId))
                .body("managementType", equalTo("MANAGED"))
                .body("userId", equalTo(device.userId))
                .body("state", equalTo("SIGNED_OUT"))
                .body("violations.rule", contains("minimumOsVersion", "jailbroken", "encryptionRequired"));
        timeline(device)
                .statusCode(200)
                .body("entries.kind", contains("COMPLIANCE_FAILED", "SIGNED_OUT"))
                .body("entries[1].detail.reason", equalTo("REMEDIATION_DISABLED"));
        access(device, TestTokens.admin(device.tenantId))
                .statusCode(200)
                .body("decision", equalTo("SIGNED_OUT"))
                .body("message", startsWith("Signed out, sign in again."));
    }

    @Test
    void aRedeliveredOrRepeatedFailingReportPublishesNothingMoreAndAPassingOneRestores() {
        DeviceEvents device = DeviceEvents.newDevice();
        DeviceStateReported firstFailure = device.failingReport();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.ANDROID, "13"));
            device.publish(firstFailure);
            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);

            device.publish(firstFailure); // the same eventId again, as after a consumer crash
            device.publish(device.failingReport()); // a new check-in, still failing
            // made last: a report older than one already applied is stale and is not evaluated
            DeviceStateReported passing = device.passingReport();
            device.publish(passing);

            ComplianceRestored restored = compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(restored.getTenantId()).isEqualTo(device.tenantId);
            assertThat(restored.getUserId()).isEqualTo(device.userId);
            assertThat(restored.getManagementType()).isEqualTo(ManagementType.MANAGED);
            assertThat(restored.getCauseEventId()).isEqualTo(passing.getEventId());
            assertCloudEventHeaders(compliance, restored.getEventId(), "ComplianceRestored", device.deviceId);
            // The duplicates came before the passing report on the same partition, so they were handled by now.
            signOuts.assertNone(
                    SignOutRequired.class,
                    e -> e.getSubjectId().equals(device.deviceId)
                            && !e.getEventId().equals(signOut.getEventId()),
                    Duration.ofSeconds(1));
            assertThat(compliance.all())
                    .filteredOn(received -> received.event() instanceof ComplianceFailed failed
                            && failed.getSubjectId().equals(device.deviceId))
                    .hasSize(1);
        }

        subject(device).statusCode(200).body("state", equalTo("COMPLIANT")).body("violations", empty());
        timeline(device)
                .body("entries.kind", contains("COMPLIANCE_FAILED", "SIGNED_OUT", "COMPLIANCE_RESTORED"))
                .body("entries[2].detail.from", equalTo("SIGNED_OUT"));
        access(device, TestTokens.user(device.tenantId, device.userId))
                .statusCode(200)
                .body("decision", equalTo("ALLOW"));
    }

    @Test
    void aRetiredDeviceSignsItsUserOutWithASelectiveWipeAndIsNoLongerEvaluated() {
        DeviceEvents device = DeviceEvents.newDevice();
        DeviceRetired retired = device.retired();
        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.IOS, "17.5"));
            device.publish(device.report(Platform.IOS, "17.5", true, false));
            device.publish(retired);

            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.DEVICE_RETIRED);
            assertThat(signOut.getSelectiveWipe()).isTrue();
            assertThat(signOut.getUserId()).isEqualTo(device.userId);
            assertThat(signOut.getCauseEventId()).isEqualTo(retired.getEventId());

            device.publish(device.failingReport()); // a late check-in of the retired device
            device.publish(retired); // and the retirement redelivered
            signOuts.assertNone(
                    SignOutRequired.class,
                    e -> e.getSubjectId().equals(device.deviceId)
                            && !e.getEventId().equals(signOut.getEventId()),
                    QUIET);
        }
        timeline(device)
                .body(
                        "entries.kind",
                        contains("ASSESSED_COMPLIANT", "DEVICE_RETIRED", "SIGNED_OUT", "SELECTIVE_WIPE_REQUESTED"));
        access(device, TestTokens.admin(device.tenantId))
                .statusCode(200)
                .body("decision", equalTo("BLOCK"))
                .body("message", containsString("retired"));
    }

    @Test
    void aDeviceThatMeetsTheBaselineIsCompliantWithoutAnyEvent() {
        DeviceEvents device = DeviceEvents.newDevice();
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.IOS, "17.4"));
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> access(device, TestTokens.admin(device.tenantId))
                    .statusCode(200)
                    .body("decision", equalTo("BLOCK")));
            device.publish(device.report(Platform.IOS, "17.4.1", true, false));

            await().atMost(EVENT_TIMEOUT)
                    .untilAsserted(() -> subject(device).statusCode(200).body("state", equalTo("COMPLIANT")));
            compliance.assertNone(ComplianceFailed.class, e -> e.getSubjectId().equals(device.deviceId), QUIET);
            signOuts.assertNone(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), Duration.ZERO);
        }
        timeline(device).body("entries.kind", contains("ASSESSED_COMPLIANT"));
        access(device, TestTokens.device(device.tenantId, device.deviceId))
                .statusCode(200)
                .body("decision", equalTo("ALLOW"))
                .body("state", equalTo("COMPLIANT"));
    }

    @Test
    void aRecordThatCannotBeDecodedGoesToTheDeadLetterTopicWithItsReasonAndTheConsumerGoesOn() {
        DeviceEvents device = DeviceEvents.newDevice();
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        TestEvents.publishRaw(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES, device.deviceId, garbage);
        device.publish(device.enrolled(Platform.MACOS, "14.2"));
        device.publish(device.report(Platform.MACOS, "14.2", true, false));

        await().atMost(EVENT_TIMEOUT)
                .untilAsserted(() -> subject(device).statusCode(200).body("state", equalTo("COMPLIANT")));
        DeadLetters.DeadLetter letter = DeadLetters.await("compliance-service", device.deviceId, EVENT_TIMEOUT);
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(letter.headers()).containsKey("dead-letter-reason");
        assertThat(letter.headers().get("dead-letter-reason")).isNotBlank();
    }

    @Test
    void noCallOfAnotherTenantReadsOrDecidesForThisTenantsSubject() {
        DeviceEvents device = DeviceEvents.newDevice();
        device.publish(device.enrolled(Platform.WINDOWS, "10.0.19045"));
        device.publish(device.report(Platform.WINDOWS, "10.0.22631", true, false));
        await().atMost(EVENT_TIMEOUT)
                .untilAsserted(() -> subject(device).statusCode(200).body("state", equalTo("COMPLIANT")));

        String otherTenantAdmin = TestTokens.admin("other-" + device.tenantId);
        given().auth()
                .oauth2(otherTenantAdmin)
                .get("/api/v1/subjects/{id}", device.deviceId)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(otherTenantAdmin)
                .get("/api/v1/subjects/{id}/timeline", device.deviceId)
                .then()
                .statusCode(404);
        access(device, otherTenantAdmin).statusCode(404).contentType("application/problem+json");
        access(device, TestTokens.user("other-" + device.tenantId, device.userId))
                .statusCode(404);
    }

    @Test
    void onlyTheSubjectsOwnUserOrDeviceAndAdminsOrServicesMayAsk() {
        DeviceEvents device = DeviceEvents.newDevice();
        device.publish(device.enrolled(Platform.ANDROID, "14"));
        await().atMost(EVENT_TIMEOUT).untilAsserted(() -> access(device, TestTokens.admin(device.tenantId))
                .statusCode(200));

        access(device, TestTokens.service(device.tenantId, "policy-service")).statusCode(200);
        access(device, TestTokens.user(device.tenantId, device.userId)).statusCode(200);
        access(device, TestTokens.device(device.tenantId, device.deviceId)).statusCode(200);
        access(device, TestTokens.user(device.tenantId, "someone-else"))
                .statusCode(403)
                .contentType("application/problem+json");
        access(device, TestTokens.device(device.tenantId, "another-device")).statusCode(403);
        given().auth()
                .oauth2(TestTokens.user(device.tenantId, device.userId))
                .get("/api/v1/subjects/{id}", device.deviceId)
                .then()
                .statusCode(403);
        given().get("/api/v1/access?subjectId={id}", device.deviceId).then().statusCode(401);
    }

    @Test
    void badRequestsGetAProblemAndUnknownSubjectsA404() {
        String admin = TestTokens.admin("tenant-bad-requests");
        given().auth()
                .oauth2(admin)
                .get("/api/v1/access")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("subjectId"));
        given().auth()
                .oauth2(admin)
                .get("/api/v1/access?subjectId=nobody&resource=mail")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
        given().auth()
                .oauth2(admin)
                .get("/api/v1/subjects/nobody")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    private static TopicProbe probe(String topic) {
        return TopicProbe.open(BulwarkInfra.kafkaBootstrap(), topic);
    }

    private static void assertCloudEventHeaders(TopicProbe probe, String eventId, String type, String key) {
        TopicProbe.ReceivedEvent received = probe.all().stream()
                .filter(r -> eventId.equals(dev.bulwark.contract.Envelope.eventId(r.event())))
                .findFirst()
                .orElseThrow();
        assertThat(received.key()).isEqualTo(key);
        Map<String, String> headers = received.headers();
        assertThat(headers)
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_id", eventId)
                .containsEntry("ce_type", type)
                .containsEntry("ce_source", "compliance-service")
                .containsEntry("ce_subject", key)
                .containsEntry("content-type", "application/avro")
                .containsKey("ce_time");
    }

    static ValidatableResponse subject(DeviceEvents device) {
        return given().auth()
                .oauth2(TestTokens.admin(device.tenantId))
                .get("/api/v1/subjects/{id}", device.deviceId)
                .then();
    }

    static ValidatableResponse timeline(DeviceEvents device) {
        return given().auth()
                .oauth2(TestTokens.admin(device.tenantId))
                .get("/api/v1/subjects/{id}/timeline", device.deviceId)
                .then();
    }

    static ValidatableResponse access(DeviceEvents device, String token) {
        return given().auth()
                .oauth2(token)
                .queryParam("subjectId", device.deviceId)
                .queryParam("resource", "mail")
                .get("/api/v1/access")
                .then();
    }
}
