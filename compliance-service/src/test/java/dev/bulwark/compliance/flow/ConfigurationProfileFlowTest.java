package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.Api.probe;
import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagedRemediationAction;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.RuleViolation;
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
 * The device compliance rule "all assigned configuration profiles applied": a FAILED profile is a violation naming
 * it, remediated by REPUSH_CONFIGURATION of the failed profiles; a report with them applied restores compliance.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class ConfigurationProfileFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    EntityManager entityManager;

    @Test
    void aFailedProfileIsRepushedAndItsApplicationRestoresCompliance() {
        DeviceEvents device = DeviceEvents.newDevice();
        PolicyEvents tenant = new PolicyEvents(device.tenantId);
        // a configuration profile policy is kept as a fact only (no dead letter, no evaluation)
        String profilePolicy = PolicyEvents.newId("wifi");
        tenant.policy(
                profilePolicy,
                PolicyKind.DEVICE_CONFIGURATION,
                1,
                Platform.ANDROID,
                List.of(allUsers()),
                "{\"type\": \"WIFI\", \"settings\": {\"ssid\": \"corp\"}}");
        Projections.awaitPolicy(entityManager, device.tenantId, profilePolicy, 1);
        String policyId = PolicyEvents.newId("compliance");
        tenant.policy(
                policyId,
                PolicyKind.DEVICE_COMPLIANCE,
                1,
                Platform.ANDROID,
                List.of(allUsers()),
                "{\"rules\": {\"encryptionRequired\": false, \"passcodeRequired\": false,"
                        + " \"jailbrokenBlocked\": false, \"requiredApps\": [], \"configurationProfilesApplied\": true},"
                        + " \"actions\": [{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT1H\"}]}");
        Projections.awaitPolicy(entityManager, device.tenantId, policyId, 1);

        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe commands = probe(Topics.MDM_COMMANDS)) {
            device.publish(device.enrolled(Platform.ANDROID, "14.1"));
            device.publish(device.report(
                    Platform.ANDROID,
                    "14.1",
                    true,
                    false,
                    List.of(
                            DeviceEvents.profile("wifi-corp", ConfigurationProfileState.FAILED, "certificate missing"),
                            DeviceEvents.profile("vpn-corp", ConfigurationProfileState.APPLIED, null),
                            DeviceEvents.profile("mail-corp", ConfigurationProfileState.FAILED, null)),
                    List.of()));

            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(failed.getViolations())
                    .extracting(
                            RuleViolation::getRule,
                            RuleViolation::getExpected,
                            RuleViolation::getActual,
                            RuleViolation::getPolicyId)
                    .containsExactlyInAnyOrder(
                            tuple(
                                    "configurationProfilesApplied",
                                    "wifi-corp applied",
                                    "FAILED: certificate missing",
                                    policyId),
                            tuple(
                                    "configurationProfilesApplied",
                                    "mail-corp applied",
                                    "FAILED: no reason given",
                                    policyId));
            ManagedRemediationRequested repush = commands.await(
                    ManagedRemediationRequested.class, e -> e.getDeviceId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(repush.getAction()).isEqualTo(ManagedRemediationAction.REPUSH_CONFIGURATION);
            assertThat(repush.getProfileIds()).containsExactlyInAnyOrder("wifi-corp", "mail-corp");
            RemediationAttempted pending = compliance.await(
                    RemediationAttempted.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(pending.getAttemptId()).isEqualTo(repush.getCommandId());
            assertThat(pending.getAction()).isEqualTo("REPUSH_CONFIGURATION");

            DeviceStateReported applied = device.report(
                    Platform.ANDROID,
                    "14.1",
                    true,
                    false,
                    List.of(
                            DeviceEvents.profile("wifi-corp", ConfigurationProfileState.APPLIED, null),
                            DeviceEvents.profile("vpn-corp", ConfigurationProfileState.APPLIED, null),
                            DeviceEvents.profile("mail-corp", ConfigurationProfileState.APPLIED, null)),
                    List.of());
            device.publish(applied);
            compliance.await(
                    RemediationAttempted.class,
                    e -> e.getAttemptId().equals(repush.getCommandId()) && e.getStatus() == RemediationStatus.SUCCEEDED,
                    EVENT_TIMEOUT);
            ComplianceRestored restored = compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(restored.getCauseEventId()).isEqualTo(applied.getEventId());
        }
    }
}
