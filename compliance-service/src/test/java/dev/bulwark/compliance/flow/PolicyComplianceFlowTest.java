package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static dev.bulwark.compliance.flow.PolicyEvents.userGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.ManagedRemediationAction;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.UnmanagedRemediationAction;
import dev.bulwark.events.UnmanagedRemediationRequested;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.DeadLetters;
import dev.bulwark.testsupport.TestEvents;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compliance driven by the policies policy-service publishes: targeting (include / exclude, licence), the most
 * restrictive of several policies, re-evaluation when a policy or a licence changes, the remediation ladder of each
 * path with its commands, and sign-out per account.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class PolicyComplianceFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final String PIN_AND_APP_6_NO_REMEDIATION =
            "{\"pinRequired\": true, \"minimumAppVersion\": {\"warn\": \"6.5\", \"block\": \"6.0\"},"
                    + " \"jailbrokenOrRooted\": \"BLOCK_ACCESS\", \"remediationEnabled\": false}";

    @Inject
    EntityManager entityManager;

    @Test
    void ifAutomaticRemediationIsDisabledByThePolicyTheUserIsSignedOutOfTheApp() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        String policyId = PolicyEvents.newId("app-policy");
        licensed(tenant, app.userId);
        publishPolicy(tenant, tenant.appProtection(policyId, 1, List.of(allUsers()), PIN_AND_APP_6_NO_REMEDIATION));

        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            app.publish(app.registered("5.5"));
            DeviceStateReported report = app.report("5.5", false, false);
            app.publish(report);

            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(failed.getRemediationEnabled()).isFalse();
            assertThat(failed.getViolations())
                    .extracting(
                            RuleViolation::getRule,
                            RuleViolation::getExpected,
                            RuleViolation::getActual,
                            RuleViolation::getPolicyId)
                    .containsExactlyInAnyOrder(
                            tuple("pinRequired", "true", "false", policyId),
                            tuple("minimumAppVersion", ">= 6.0", "5.5", policyId));
            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_DISABLED);
            assertThat(signOut.getAppIds()).containsExactly(AppInstanceEvents.MAIL);
            assertThat(signOut.getSelectiveWipe()).isFalse();
            assertThat(signOut.getUserMessage()).contains("sign back in");
            assertThat(signOut.getCauseEventId()).isEqualTo(report.getEventId());
        }
    }

    @Test
    void anUnlicensedUserIncludedInAPolicyGetsNoRulesUntilLicensed() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        tenant.licence(app.userId, false);
        Projections.awaitLicence(entityManager, app.tenantId, app.userId, false);
        publishPolicy(
                tenant,
                tenant.appProtection(
                        PolicyEvents.newId("app-policy"), 1, List.of(allUsers()), PIN_AND_APP_6_NO_REMEDIATION));

        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            app.publish(app.registered("5.5"));
            app.publish(app.report("5.5", false, false));
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> subject(app.tenantId, app.registrationId)
                    .statusCode(200)
                    .body("state", equalTo("COMPLIANT")));
            compliance.assertNone(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(app.registrationId), Duration.ofSeconds(1));

            // The licence arrives: the rules now apply, without a new check-in.
            var licence = tenant.licence(app.userId, true);
            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(failed.getCauseEventId()).isEqualTo(licence.getEventId());
            signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
        }
    }

    @Test
    void onlyTargetedUsersAreSubjectAndExclusionWinsOverInclusion() {
        AppInstanceEvents included = AppInstanceEvents.newMailApp();
        AppInstanceEvents excluded = included.otherAccount("excluded-" + included.userId);
        AppInstanceEvents untargeted = included.otherAccount("outsider-" + included.userId);
        PolicyEvents tenant = new PolicyEvents(included.tenantId);
        for (AppInstanceEvents account : List.of(included, excluded, untargeted)) {
            licensed(tenant, account.userId);
        }
        tenant.member("sales", GroupKind.USER, included.userId, MembershipChange.ADDED);
        tenant.member("sales", GroupKind.USER, excluded.userId, MembershipChange.ADDED);
        tenant.member("contractors", GroupKind.USER, excluded.userId, MembershipChange.ADDED);
        Projections.awaitMember(entityManager, included.tenantId, "contractors", excluded.userId);
        Projections.awaitMember(entityManager, included.tenantId, "sales", included.userId);
        publishPolicy(
                tenant,
                tenant.appProtection(
                        PolicyEvents.newId("app-policy"),
                        1,
                        List.of(userGroup("sales", false), userGroup("contractors", true)),
                        PIN_AND_APP_6_NO_REMEDIATION));

        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            for (AppInstanceEvents account : List.of(included, excluded, untargeted)) {
                account.publish(account.registered("5.5"));
                account.publish(account.report("5.5", false, false));
            }
            signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(included.registrationId), EVENT_TIMEOUT);
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> {
                subject(excluded.tenantId, excluded.registrationId)
                        .statusCode(200)
                        .body("state", equalTo("COMPLIANT"));
                subject(untargeted.tenantId, untargeted.registrationId)
                        .statusCode(200)
                        .body("state", equalTo("COMPLIANT"));
            });
            signOuts.assertNone(
                    SignOutRequired.class,
                    e -> e.getSubjectId().equals(excluded.registrationId)
                            || e.getSubjectId().equals(untargeted.registrationId),
                    QUIET);
        }
    }

    @Test
    void whenTwoPoliciesApplyTheMostRestrictiveWinsAndAPolicyChangeReevaluates() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        licensed(tenant, app.userId);
        String mild = PolicyEvents.newId("mild");
        String strict = PolicyEvents.newId("strict");
        publishPolicy(
                tenant,
                tenant.appProtection(
                        mild,
                        1,
                        List.of(allUsers()),
                        "{\"minimumAppVersion\": {\"block\": \"5.0\"}," + " \"remediationEnabled\": false}"));
        try (TopicProbe compliance = probe(Topics.COMPLIANCE)) {
            app.publish(app.registered("5.5"));
            app.publish(app.report("5.5", true, false));
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> subject(app.tenantId, app.registrationId)
                    .statusCode(200)
                    .body("state", equalTo("COMPLIANT")));

            // A second, stricter policy arrives: the account is judged again on its last check-in.
            PolicyChanged stricter = tenant.appProtection(
                    strict,
                    1,
                    List.of(allUsers()),
                    "{\"minimumAppVersion\": {\"block\": \"6.1\"}," + " \"remediationEnabled\": false}");
            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(failed.getCauseEventId()).isEqualTo(stricter.getEventId());
            assertThat(failed.getViolations())
                    .extracting(RuleViolation::getRule, RuleViolation::getExpected, RuleViolation::getPolicyId)
                    .containsExactly(tuple("minimumAppVersion", ">= 6.1", strict));

            // The strict policy is relaxed (version 2): compliant again.
            tenant.appProtection(
                    strict,
                    2,
                    List.of(allUsers()),
                    "{\"minimumAppVersion\": {\"block\": \"5.2\"}," + " \"remediationEnabled\": false}");
            compliance.await(ComplianceRestored.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
        }
    }

    @Test
    void remediationPromptsThePinAndAReportThatSatisfiesTheRulesRestoresCompliance() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        licensed(tenant, app.userId);
        publishPolicy(
                tenant,
                tenant.appProtection(
                        PolicyEvents.newId("app-policy"),
                        1,
                        List.of(allUsers()),
                        "{\"pinRequired\": true, \"remediationEnabled\": true, \"remediationDeadline\": \"PT1H\"}"));
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe commands = probe(Topics.MAM_COMMANDS);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            app.publish(app.registered("5.5"));
            app.publish(app.report("5.5", false, false));

            UnmanagedRemediationRequested setPin = commands.await(
                    UnmanagedRemediationRequested.class,
                    e -> e.getRegistrationId().equals(app.registrationId),
                    EVENT_TIMEOUT);
            assertThat(setPin.getAction()).isEqualTo(UnmanagedRemediationAction.SET_PIN);
            assertThat(setPin.getUserId()).isEqualTo(app.userId);
            assertThat(setPin.getAppId()).isEqualTo(AppInstanceEvents.MAIL);
            RemediationAttempted pending = compliance.await(
                    RemediationAttempted.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(pending.getStatus()).isEqualTo(RemediationStatus.PENDING);
            assertThat(pending.getAction()).isEqualTo("SET_PIN");
            assertThat(pending.getAttemptId()).isEqualTo(setPin.getCommandId());
            assertThat(pending.getDeadline()).isEqualTo(setPin.getDeadline());

            DeviceStateReported fixed = app.report("5.5", true, false);
            app.publish(fixed);
            RemediationAttempted succeeded = compliance.await(
                    RemediationAttempted.class,
                    e -> e.getAttemptId().equals(setPin.getCommandId()) && e.getStatus() == RemediationStatus.SUCCEEDED,
                    EVENT_TIMEOUT);
            assertThat(succeeded.getAction()).isEqualTo("SET_PIN");
            ComplianceRestored restored = compliance.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(restored.getCauseEventId()).isEqualTo(fixed.getEventId());
            signOuts.assertNone(SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), QUIET);
        }
    }

    @Test
    void ifRemediationDoesNotSucceedByThePolicysDeadlineTheUserIsSignedOutWithTheWipeThePolicyAsks() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        licensed(tenant, app.userId);
        publishPolicy(
                tenant,
                tenant.appProtection(
                        PolicyEvents.newId("app-policy"),
                        1,
                        List.of(allUsers()),
                        "{\"jailbrokenOrRooted\": \"WIPE_DATA\", \"remediationEnabled\": true,"
                                + " \"remediationDeadline\": \"PT2S\"}"));
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe commands = probe(Topics.MAM_COMMANDS);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            app.publish(app.registered("5.5"));
            app.publish(app.report("5.5", true, true));

            UnmanagedRemediationRequested checkIn = commands.await(
                    UnmanagedRemediationRequested.class,
                    e -> e.getRegistrationId().equals(app.registrationId),
                    EVENT_TIMEOUT);
            assertThat(checkIn.getAction()).isEqualTo(UnmanagedRemediationAction.CHECK_IN);
            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_FAILED);
            assertThat(signOut.getSelectiveWipe()).isTrue();
            assertThat(signOut.getAppIds()).containsExactly(AppInstanceEvents.MAIL);
            RemediationAttempted failed = compliance.await(
                    RemediationAttempted.class,
                    e -> e.getAttemptId().equals(checkIn.getCommandId()) && e.getStatus() == RemediationStatus.FAILED,
                    EVENT_TIMEOUT);
            assertThat(failed.getAction()).isEqualTo("CHECK_IN");
        }
        subject(app.tenantId, app.registrationId).statusCode(200).body("state", equalTo("SIGNED_OUT"));
    }

    @Test
    void anAppThatSwitchesToAnotherAccountOutOfComplianceSignsOutThatAccountOnly() {
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        AppInstanceEvents second = first.otherAccount("second-" + first.userId);
        PolicyEvents tenant = new PolicyEvents(first.tenantId);
        licensed(tenant, first.userId);
        licensed(tenant, second.userId);
        publishPolicy(
                tenant,
                tenant.appProtection(
                        PolicyEvents.newId("app-policy"), 1, List.of(allUsers()), PIN_AND_APP_6_NO_REMEDIATION));
        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            first.publish(first.registered("6.2"));
            first.publish(first.report("6.2", true, false));
            await().atMost(EVENT_TIMEOUT).untilAsserted(() -> subject(first.tenantId, first.registrationId)
                    .statusCode(200)
                    .body("state", equalTo("COMPLIANT")));

            // The same installation switches to the second account, which has no PIN.
            second.publish(second.registered("6.2"));
            second.publish(second.report("6.2", false, false));
            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(second.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getUserId()).isEqualTo(second.userId);
            assertThat(signOut.getUserMessage()).contains("sign back in");
            signOuts.assertNone(SignOutRequired.class, e -> e.getUserId().equals(first.userId), QUIET);
        }
        subject(first.tenantId, first.registrationId).statusCode(200).body("state", equalTo("COMPLIANT"));
        subject(second.tenantId, second.registrationId).statusCode(200).body("state", equalTo("SIGNED_OUT"));
    }

    @Test
    void aManagedDeviceBelowThePolicysMinimumOsIsAskedToUpdateAndSignedOutAfterTheGracePeriod() {
        DeviceEvents device = DeviceEvents.newDevice();
        PolicyEvents tenant = new PolicyEvents(device.tenantId);
        String policyId = PolicyEvents.newId("compliance");
        publishPolicy(
                tenant,
                tenant.policy(
                        policyId,
                        PolicyKind.DEVICE_COMPLIANCE,
                        1,
                        Platform.ANDROID,
                        List.of(allUsers()),
                        "{\"rules\": {\"minimumOsVersion\": \"15\", \"encryptionRequired\": true,"
                                + " \"passcodeRequired\": true, \"jailbrokenBlocked\": true, \"requiredApps\": []},"
                                + " \"actions\": [{\"action\": \"NOTIFY\", \"after\": \"PT0S\"},"
                                + " {\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT2S\"}]}"));
        try (TopicProbe compliance = probe(Topics.COMPLIANCE);
                TopicProbe commands = probe(Topics.MDM_COMMANDS);
                TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            device.publish(device.enrolled(Platform.ANDROID, "14"));
            device.publish(device.report(Platform.ANDROID, "14", true, false));

            ManagedRemediationRequested update = commands.await(
                    ManagedRemediationRequested.class, e -> e.getDeviceId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(update.getAction()).isEqualTo(ManagedRemediationAction.REQUEST_OS_UPDATE);
            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(failed.getViolations())
                    .extracting(RuleViolation::getRule, RuleViolation::getExpected, RuleViolation::getPolicyId)
                    .containsExactly(tuple("minimumOsVersion", ">= 15", policyId));
            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(device.deviceId), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_FAILED);
            assertThat(signOut.getAppIds()).isEmpty();
        }
    }

    @Test
    void aPolicyWhoseBodyIsNotJsonGoesToTheDeadLetterTopicAndTheConsumerGoesOn() {
        PolicyEvents tenant = new PolicyEvents(PolicyEvents.newId("tenant"));
        String poison = PolicyEvents.newId("poison");
        tenant.policy(poison, PolicyKind.APP_PROTECTION, 1, Platform.IOS, List.of(allUsers()), "not json {");
        DeadLetters.DeadLetter letter = DeadLetters.await("compliance-service", poison, EVENT_TIMEOUT);
        assertThat(letter.headers()).containsKey("dead-letter-reason");

        String fine = PolicyEvents.newId("fine");
        publishPolicy(tenant, tenant.appProtection(fine, 1, List.of(allUsers()), "{\"pinRequired\": true}"));
        TestEvents.publishRaw(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DIRECTORY,
                "garbage-" + fine,
                "not an event".getBytes(StandardCharsets.UTF_8));
        DeadLetters.await("compliance-service", "garbage-" + fine, EVENT_TIMEOUT);
    }

    private void licensed(PolicyEvents tenant, String userId) {
        tenant.licence(userId, true);
        Projections.awaitLicence(entityManager, tenant.tenantId, userId, true);
    }

    private void publishPolicy(PolicyEvents tenant, PolicyChanged policy) {
        Projections.awaitPolicy(entityManager, tenant.tenantId, policy.getPolicyId(), policy.getVersion());
    }

    static io.restassured.response.ValidatableResponse subject(String tenantId, String subjectId) {
        return given().auth()
                .oauth2(TestTokens.admin(tenantId))
                .when()
                .get("/api/v1/subjects/{id}", subjectId)
                .then();
    }

    private static TopicProbe probe(String topic) {
        return TopicProbe.open(BulwarkInfra.kafkaBootstrap(), topic);
    }
}
