package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.Api.access;
import static dev.bulwark.compliance.flow.Api.probe;
import static dev.bulwark.compliance.flow.Api.subject;
import static dev.bulwark.compliance.flow.Api.timeline;
import static dev.bulwark.compliance.flow.Api.wipesOf;
import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A device compliance policy's graduated schedule past MARK_NON_COMPLIANT: BLOCK blocks access from the device at its
 * time, RETIRE signs its account out of the protected apps with a selective wipe (DEVICE_RETIRED) at its time — each
 * a durable deadline row that fires once.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class ComplianceScheduleFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    EntityManager entityManager;

    @Test
    void aDeviceStillNonCompliantIsSignedOutThenBlockedThenRetiredAtThePolicysTimes() {
        DeviceEvents device = DeviceEvents.newDevice();
        PolicyEvents tenant = new PolicyEvents(device.tenantId);
        String policyId = PolicyEvents.newId("compliance");
        tenant.policy(
                policyId,
                PolicyKind.DEVICE_COMPLIANCE,
                1,
                Platform.ANDROID,
                List.of(allUsers()),
                "{\"rules\": {\"minimumOsVersion\": \"15\", \"encryptionRequired\": false, \"passcodeRequired\": false,"
                        + " \"jailbrokenBlocked\": false, \"requiredApps\": []},"
                        + " \"actions\": [{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT1S\"},"
                        + " {\"action\": \"BLOCK\", \"after\": \"PT3S\"}, {\"action\": \"RETIRE\", \"after\": \"PT6S\"}]}");
        Projections.awaitPolicy(entityManager, device.tenantId, policyId, 1);

        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.ANDROID, "14"));
            device.publish(device.report(Platform.ANDROID, "14", true, false));

            SignOutRequired signedOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(signedOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_FAILED);
            assertThat(signedOut.getSelectiveWipe()).isFalse();

            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> subject(device.tenantId, device.deviceId)
                    .statusCode(200)
                    .body("state", equalTo("BLOCKED")));
            access(device.tenantId, device.deviceId).statusCode(200).body("decision", equalTo("BLOCK"));

            SignOutRequired retired = signOuts.await(
                    SignOutRequired.class,
                    e -> e.getSubjectId().equals(device.deviceId) && e.getReason() == SignOutReason.DEVICE_RETIRED,
                    EVENT_TIMEOUT);
            assertThat(retired.getSelectiveWipe()).isTrue();
            assertThat(retired.getAppIds()).isEmpty();
        }
        wipesOf(device.tenantId, device.deviceId)
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].reason", equalTo("DEVICE_RETIRED"));
        subject(device.tenantId, device.deviceId).statusCode(200).body("state", equalTo("BLOCKED"));
        timeline(device.tenantId, device.deviceId)
                .statusCode(200)
                .body("entries.kind", hasItems("SIGNED_OUT", "ESCALATION_SCHEDULED", "BLOCKED"));
    }

    @Test
    void aDeviceCompliantAgainBeforeTheBlockStepIsNotBlocked() {
        DeviceEvents device = DeviceEvents.newDevice();
        PolicyEvents tenant = new PolicyEvents(device.tenantId);
        String policyId = PolicyEvents.newId("compliance");
        tenant.policy(
                policyId,
                PolicyKind.DEVICE_COMPLIANCE,
                1,
                Platform.ANDROID,
                List.of(allUsers()),
                "{\"rules\": {\"minimumOsVersion\": \"15\", \"encryptionRequired\": false, \"passcodeRequired\": false,"
                        + " \"jailbrokenBlocked\": false, \"requiredApps\": []},"
                        + " \"actions\": [{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT0S\"},"
                        + " {\"action\": \"BLOCK\", \"after\": \"PT4S\"}]}");
        Projections.awaitPolicy(entityManager, device.tenantId, policyId, 1);
        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.ANDROID, "14"));
            device.publish(device.report(Platform.ANDROID, "14", true, false));
            SignOutRequired signedOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(signedOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_DISABLED);
        }
        device.publish(device.report(Platform.ANDROID, "15", true, false));
        await().atMost(EVENT_TIMEOUT).untilAsserted(() -> subject(device.tenantId, device.deviceId)
                .statusCode(200)
                .body("state", equalTo("COMPLIANT")));
        // past the BLOCK step's time the device is still allowed: the step was cancelled with the restoration
        await().pollDelay(Duration.ofSeconds(5))
                .atMost(EVENT_TIMEOUT)
                .untilAsserted(() ->
                        access(device.tenantId, device.deviceId).statusCode(200).body("decision", equalTo("ALLOW")));
    }
}
