package dev.bulwark.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.deploy.ServiceProcess;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.RuleViolation;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.UnmanagedRemediationAction;
import dev.bulwark.events.UnmanagedRemediationRequested;
import dev.bulwark.testsupport.TopicProbe;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's app protection stories (MAM, unmanaged app instances) across device-registry, policy-service and
 * compliance-service running as separate processes from their packaged jars, on real Kafka and PostgreSQL: the admin
 * and the protected app act over REST only, and what the services decide is read from the topics as an outside
 * consumer reads it and from the sign-in the app gets, all through the gateway's one address. One stack for every scenario (starting one is the slow part on
 * a small machine); each scenario has a tenant of its own.
 *
 * <p>Check-ins that must be judged by a policy break only the policy's minimum app version while meeting the
 * compliance baseline (PIN set, not rooted; no minimum app version configured), so the verdict is the same whether
 * compliance-service hears of the check-in before or after the policy and the licence: before, the account is compliant
 * and the policy's or licence's arrival judges it again. (The account switch's PIN-less account breaks the baseline
 * too; either way it is signed out, and that scenario asserts nothing that tells the two apart.)
 */
class AppProtectionScenariosIT {

    private static final Duration EVENT_TIMEOUT = ScenarioTenant.EVENT_TIMEOUT;
    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final String MAIL = "com.contoso.mail";
    private static final String OLD_APP = "4.2";
    private static final String NEW_APP = "5.1";

    @TempDir
    static Path dataDir;

    private static RunningStack stack;

    @BeforeAll
    static void startStack() {
        // the admin and the apps go through the gateway's one address, as users of the product do
        stack = ScenarioStack.start(
                dataDir,
                EnumSet.of(
                        BulwarkService.DEVICE_REGISTRY,
                        BulwarkService.POLICY_SERVICE,
                        BulwarkService.COMPLIANCE_SERVICE,
                        BulwarkService.GATEWAY));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyPathDeviceRegistryPolicyServiceAndComplianceServicePublishIsAnsweredByThemThroughTheGateway() {
        GatewayRouting.assertEveryPublishedPathReachesItsService(stack);
    }

    @Test
    void aSixDigitPinPolicyMakesTheFirstSignInAPinSetUpThenAPromptAndSparesUnlicensedAndExcludedUsers() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("alice");
        t.licence("alice");
        t.createUser("carl"); // included by ALL_USERS, never licensed
        t.createUser("ivy");
        t.licence("ivy");
        t.createUserGroup("contractors", "ivy");

        String policyId;
        try (TopicProbe policies = TopicProbe.open(stack.bootstrapServers(), Topics.POLICIES)) {
            policyId = t.createAppProtectionPolicy(
                    """
                    {"name": "Mail PIN", "platform": "ANDROID", "appIds": ["%s"],
                     "settings": {"pinRequired": true, "pinCharacterSet": "NUMERIC", "pinMinimumLength": 6,
                                  "minimumAppVersion": {"block": "5.0"}},
                     "targets": [{"kind": "ALL_USERS"},
                                 {"kind": "USER_GROUP", "groupId": "contractors", "excluded": true}]}
                    """
                            .formatted(MAIL));
            PolicyChanged changed =
                    policies.await(PolicyChanged.class, e -> e.getPolicyId().equals(policyId), EVENT_TIMEOUT);
            assertThat(changed.getTenantId()).isEqualTo(t.id());
            assertThat(changed.getPolicyKind()).isEqualTo(PolicyKind.APP_PROTECTION);
            assertThat(changed.getChange()).isEqualTo(ChangeKind.CREATED);
            assertThat(changed.getVersion()).isEqualTo(1);
        }

        String alice = t.userToken("alice");
        String aliceReg = t.registerApp(alice, MAIL, "phone-alice", NEW_APP);
        Response first = t.awaitSignIn(alice, MAIL, aliceReg, "PROTECTED");
        assertThat(first.<String>path("nextStep")).isEqualTo("SET_PIN");
        assertThat(first.<String>path("message"))
                .contains("Your organization is now protecting its data in this app")
                .contains("Set a 6-digit PIN");
        assertThat(first.<Integer>path("policy.pinMinimumLength")).isEqualTo(6);
        assertThat(first.<Boolean>path("policy.pinRequired")).isTrue();

        // A PIN shorter than the policy asks is refused, and the next sign-in still asks for one.
        Response tooShort = t.pinSet(alice, MAIL, aliceReg, 4);
        assertThat(tooShort.statusCode()).isEqualTo(422);
        assertThat(tooShort.contentType()).startsWith("application/problem+json");
        assertThat(t.signIn(alice, MAIL, aliceReg).<String>path("nextStep")).isEqualTo("SET_PIN");

        Response pinSet = t.pinSet(alice, MAIL, aliceReg, 6);
        assertThat(pinSet.statusCode()).isEqualTo(200);
        assertThat(pinSet.<String>path("nextStep")).isEqualTo("ENTER_PIN");
        for (int i = 0; i < 2; i++) {
            Response again = t.signIn(t.userToken("alice"), MAIL, aliceReg);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.<String>path("status")).isEqualTo("PROTECTED");
            assertThat(again.<String>path("nextStep")).isEqualTo("ENTER_PIN");
        }

        // Included by ALL_USERS but without a licence: no rules.
        String carl = t.userToken("carl");
        String carlReg = t.registerApp(carl, MAIL, "phone-carl", NEW_APP);
        Response unlicensed = t.signIn(carl, MAIL, carlReg);
        assertThat(unlicensed.statusCode()).isEqualTo(200);
        assertThat(unlicensed.<String>path("status")).isEqualTo("UNLICENSED");
        assertThat(unlicensed.<String>path("nextStep")).isEqualTo("CONTINUE");
        assertThat(unlicensed.<Object>path("policy")).isNull();
        assertThat(unlicensed.<String>path("checkAgainAfter")).isEqualTo("PT12H");

        // Licensed, but in the excluded group: not subject to the policy.
        String ivy = t.userToken("ivy");
        String ivyReg = t.registerApp(ivy, MAIL, "phone-ivy", NEW_APP);
        Response excluded = t.signIn(ivy, MAIL, ivyReg);
        assertThat(excluded.statusCode()).isEqualTo(200);
        assertThat(excluded.<String>path("status")).isEqualTo("NOT_TARGETED");
        assertThat(excluded.<Object>path("policy")).isNull();

        // compliance-service agrees. A licensed colleague's app below the policy's minimum version (which the baseline
        // does not check) fails first: compliance-service has the policy. Then Carl's and Ivy's apps check in without
        // a PIN, which the baseline would refuse — but the policy gives Carl no rules and does not reach Ivy.
        t.createUser("sam");
        t.licence("sam");
        String sam = t.userToken("sam");
        try (TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE)) {
            String samReg = t.registerApp(sam, MAIL, "phone-sam", OLD_APP);
            t.reportAppState(sam, samReg, OLD_APP, true);
            ComplianceFailed samFailed =
                    verdicts.await(ComplianceFailed.class, e -> e.getSubjectId().equals(samReg), EVENT_TIMEOUT);
            assertThat(samFailed.getViolations())
                    .extracting(RuleViolation::getRule, RuleViolation::getPolicyId)
                    .containsExactly(tuple("minimumAppVersion", policyId));

            t.reportAppState(carl, carlReg, NEW_APP, false);
            t.reportAppState(ivy, ivyReg, NEW_APP, false);
            assertThat(t.awaitSubjectState(carlReg, "COMPLIANT").jsonPath().getList("violations"))
                    .isEmpty();
            t.awaitSubjectState(ivyReg, "COMPLIANT");
            verdicts.assertNone(
                    ComplianceFailed.class,
                    e -> e.getSubjectId().equals(carlReg) || e.getSubjectId().equals(ivyReg),
                    QUIET);
        }
    }

    @Test
    void anAccountOutOfComplianceWithRemediationDisabledIsSignedOutAndItsNextSignInSaysSo() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("bob");
        t.licence("bob");
        // Issued before the sign-out: only a token issued after it would count as signing back in.
        String bob = t.userToken("bob");

        try (TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {
            String policyId = t.createAppProtectionPolicy(minimumAppVersionPolicy(false, "PT1H"));
            String reg = t.registerApp(bob, MAIL, "phone-bob", OLD_APP);
            t.reportAppState(bob, reg, OLD_APP, true);

            ComplianceFailed failed =
                    verdicts.await(ComplianceFailed.class, e -> e.getSubjectId().equals(reg), EVENT_TIMEOUT);
            assertThat(failed.getTenantId()).isEqualTo(t.id());
            assertThat(failed.getUserId()).isEqualTo("bob");
            assertThat(failed.getManagementType()).isEqualTo(ManagementType.UNMANAGED);
            assertThat(failed.getRemediationEnabled()).isFalse();
            assertThat(failed.getViolations())
                    .extracting(RuleViolation::getRule, RuleViolation::getActual, RuleViolation::getPolicyId)
                    .containsExactly(tuple("minimumAppVersion", OLD_APP, policyId));

            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(reg), EVENT_TIMEOUT);
            assertThat(signOut.getTenantId()).isEqualTo(t.id());
            assertThat(signOut.getUserId()).isEqualTo("bob");
            assertThat(signOut.getManagementType()).isEqualTo(ManagementType.UNMANAGED);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_DISABLED);
            assertThat(signOut.getAppIds()).containsExactly(MAIL);
            assertThat(signOut.getUserMessage()).isNotBlank();
            verdicts.assertNone(
                    RemediationAttempted.class, e -> e.getSubjectId().equals(reg), Duration.ofSeconds(1));

            Response signedOut = t.awaitSignIn(bob, MAIL, reg, "SIGNED_OUT");
            assertThat(signedOut.<String>path("nextStep")).isEqualTo("SIGN_IN_AGAIN");
            assertThat(signedOut.<String>path("message")).contains("sign back in");
            assertThat(signedOut.<Object>path("policy")).isNull();
            assertThat(signedOut.<String>path("signOut.reason")).isEqualTo("REMEDIATION_DISABLED");

            assertThat(t.awaitSubjectState(reg, "SIGNED_OUT").jsonPath().getList("violations.rule", String.class))
                    .containsExactly("minimumAppVersion");
        }
    }

    @Test
    void anAccountOutOfComplianceWithRemediationEnabledIsAskedToUpdateAndIsRestoredWhenItDoes() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("cleo");
        t.licence("cleo");
        String cleo = t.userToken("cleo");

        try (TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE);
                TopicProbe commands = TopicProbe.open(stack.bootstrapServers(), Topics.MAM_COMMANDS);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {
            t.createAppProtectionPolicy(minimumAppVersionPolicy(true, "PT10M"));
            String reg = t.registerApp(cleo, MAIL, "phone-cleo", OLD_APP);
            t.reportAppState(cleo, reg, OLD_APP, true);

            ComplianceFailed failed =
                    verdicts.await(ComplianceFailed.class, e -> e.getSubjectId().equals(reg), EVENT_TIMEOUT);
            assertThat(failed.getRemediationEnabled()).isTrue();
            assertThat(failed.getRemediationDeadline()).isAfter(Instant.now().plus(Duration.ofMinutes(5)));

            UnmanagedRemediationRequested command = commands.await(
                    UnmanagedRemediationRequested.class,
                    e -> e.getRegistrationId().equals(reg),
                    EVENT_TIMEOUT);
            assertThat(command.getTenantId()).isEqualTo(t.id());
            assertThat(command.getUserId()).isEqualTo("cleo");
            assertThat(command.getAppId()).isEqualTo(MAIL);
            assertThat(command.getAction()).isEqualTo(UnmanagedRemediationAction.UPDATE_APP);
            assertThat(command.getMinimumAppVersion()).isEqualTo("5.0");
            assertThat(command.getMessage()).isNotBlank();

            RemediationAttempted pending = verdicts.await(
                    RemediationAttempted.class,
                    e -> e.getSubjectId().equals(reg) && e.getStatus() == RemediationStatus.PENDING,
                    EVENT_TIMEOUT);
            assertThat(pending.getAttemptId()).isEqualTo(command.getCommandId());
            assertThat(pending.getAction()).isEqualTo("UPDATE_APP");
            assertThat(pending.getDeadline()).isEqualTo(failed.getRemediationDeadline());
            assertThat(t.awaitSubjectState(reg, "NON_COMPLIANT_REMEDIATING").<String>path("remediationDueAt"))
                    .isNotBlank();

            // The user updates the app, which checks in again.
            t.reportAppState(cleo, reg, NEW_APP, true);

            RemediationAttempted succeeded = verdicts.await(
                    RemediationAttempted.class,
                    e -> e.getSubjectId().equals(reg) && e.getStatus() == RemediationStatus.SUCCEEDED,
                    EVENT_TIMEOUT);
            assertThat(succeeded.getAttemptId()).isEqualTo(command.getCommandId());
            ComplianceRestored restored = verdicts.await(
                    ComplianceRestored.class, e -> e.getSubjectId().equals(reg), EVENT_TIMEOUT);
            assertThat(restored.getUserId()).isEqualTo("cleo");
            assertThat(restored.getManagementType()).isEqualTo(ManagementType.UNMANAGED);
            t.awaitSubjectState(reg, "COMPLIANT");

            signOuts.assertNone(SignOutRequired.class, e -> e.getTenantId().equals(t.id()), QUIET);
            t.awaitSignIn(cleo, MAIL, reg, "PROTECTED");
        }
    }

    @Test
    void anAccountWhoseRemediationFailsByTheDeadlineIsSignedOut() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("dan");
        t.licence("dan");
        String dan = t.userToken("dan");

        try (TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {
            t.createAppProtectionPolicy(minimumAppVersionPolicy(true, "PT5S"));
            String reg = t.registerApp(dan, MAIL, "phone-dan", OLD_APP);
            t.reportAppState(dan, reg, OLD_APP, true);

            RemediationAttempted pending = verdicts.await(
                    RemediationAttempted.class,
                    e -> e.getSubjectId().equals(reg) && e.getStatus() == RemediationStatus.PENDING,
                    EVENT_TIMEOUT);
            assertThat(pending.getAction()).isEqualTo("UPDATE_APP");

            // The app is never updated: the deadline passes (compliance-service looks every 5 s).
            RemediationAttempted failed = verdicts.await(
                    RemediationAttempted.class,
                    e -> e.getSubjectId().equals(reg) && e.getStatus() == RemediationStatus.FAILED,
                    EVENT_TIMEOUT);
            assertThat(failed.getAttemptId()).isEqualTo(pending.getAttemptId());
            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(reg), EVENT_TIMEOUT);
            assertThat(signOut.getUserId()).isEqualTo("dan");
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_FAILED);
            assertThat(signOut.getAppIds()).containsExactly(MAIL);
            assertThat(signOut.getOccurredAt()).isAfterOrEqualTo(pending.getDeadline());
            verdicts.assertNone(ComplianceRestored.class, e -> e.getSubjectId().equals(reg), Duration.ofSeconds(1));

            t.awaitSubjectState(reg, "SIGNED_OUT");
            Response signedOut = t.awaitSignIn(dan, MAIL, reg, "SIGNED_OUT");
            assertThat(signedOut.<String>path("signOut.reason")).isEqualTo("REMEDIATION_FAILED");

            // "Why was I signed out?": the timeline, in order; and the access decision the app's user gets.
            Response timeline = t.timeline(reg);
            assertThat(timeline.statusCode()).isEqualTo(200);
            assertThat(timeline.jsonPath().getList("entries.kind", String.class))
                    .containsSubsequence("COMPLIANCE_FAILED", "REMEDIATION_STARTED", "REMEDIATION_ENDED", "SIGNED_OUT");
            Response access = t.access(dan, reg);
            assertThat(access.statusCode()).isEqualTo(200);
            assertThat(access.<String>path("decision")).isEqualTo("SIGNED_OUT");
            assertThat(access.<String>path("message")).isNotBlank();
        }
    }

    @Test
    void switchingToANonCompliantAccountOnTheSameInstallationSignsOutThatAccountOnly() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("erin");
        t.licence("erin");
        t.createUser("finn");
        t.licence("finn");
        String erin = t.userToken("erin");
        String finn = t.userToken("finn");
        String installation = "shared-phone-" + t.id();

        try (TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {
            t.createAppProtectionPolicy(
                    """
                    {"name": "Mail PIN", "platform": "ANDROID", "appIds": ["%s"],
                     "settings": {"pinRequired": true, "pinMinimumLength": 6, "remediationEnabled": false},
                     "targets": [{"kind": "ALL_USERS"}]}
                    """
                            .formatted(MAIL));
            String erinReg = t.registerApp(erin, MAIL, installation, NEW_APP);
            String finnReg = t.registerApp(finn, MAIL, installation, NEW_APP);
            assertThat(finnReg).isNotEqualTo(erinReg);

            // Erin set her PIN; the app switches to Finn's account, which has none.
            t.reportAppState(erin, erinReg, NEW_APP, true);
            t.reportAppState(finn, finnReg, NEW_APP, false);

            ComplianceFailed failed =
                    verdicts.await(ComplianceFailed.class, e -> e.getSubjectId().equals(finnReg), EVENT_TIMEOUT);
            assertThat(failed.getUserId()).isEqualTo("finn");
            assertThat(failed.getViolations())
                    .extracting(RuleViolation::getRule)
                    .containsExactly("pinRequired");
            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(finnReg), EVENT_TIMEOUT);
            assertThat(signOut.getUserId()).isEqualTo("finn");
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_DISABLED);

            t.awaitSubjectState(erinReg, "COMPLIANT");
            signOuts.assertNone(SignOutRequired.class, e -> e.getUserId().equals("erin"), QUIET);
            verdicts.assertNone(ComplianceFailed.class, e -> e.getSubjectId().equals(erinReg), Duration.ofSeconds(1));
            assertThat(t.awaitSignIn(finn, MAIL, finnReg, "SIGNED_OUT").<String>path("nextStep"))
                    .isEqualTo("SIGN_IN_AGAIN");
            assertThat(t.awaitSignIn(erin, MAIL, erinReg, "PROTECTED").<String>path("nextStep"))
                    .isEqualTo("SET_PIN");
        }
    }

    @Test
    void aRemediationDeadlineThatPassesWhileComplianceServiceIsDownFiresOnceAfterItsRestart() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("gus");
        t.licence("gus");
        String gus = t.userToken("gus");

        try (TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {
            t.createAppProtectionPolicy(minimumAppVersionPolicy(true, "PT6S"));
            String reg = t.registerApp(gus, MAIL, "phone-gus", OLD_APP);
            t.reportAppState(gus, reg, OLD_APP, true);
            RemediationAttempted pending = verdicts.await(
                    RemediationAttempted.class,
                    e -> e.getSubjectId().equals(reg) && e.getStatus() == RemediationStatus.PENDING,
                    EVENT_TIMEOUT);

            // The process dies (SIGKILL: no shutdown hook, nothing flushed on the way out) and stays down until the
            // deadline has passed, so only what was committed to its database can remember the deadline.
            ServiceProcess crashed = stack.process(BulwarkService.COMPLIANCE_SERVICE);
            crashed.kill();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> Instant.now().isAfter(pending.getDeadline().plusSeconds(1)));
            signOuts.assertNone(SignOutRequired.class, e -> e.getSubjectId().equals(reg), Duration.ofSeconds(1));
            Instant restartedAt = Instant.now();
            stack.startAgain(BulwarkService.COMPLIANCE_SERVICE, Duration.ofSeconds(180));

            RemediationAttempted failed = verdicts.await(
                    RemediationAttempted.class,
                    e -> e.getSubjectId().equals(reg) && e.getStatus() == RemediationStatus.FAILED,
                    EVENT_TIMEOUT);
            assertThat(failed.getAttemptId()).isEqualTo(pending.getAttemptId());
            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(reg), EVENT_TIMEOUT);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.REMEDIATION_FAILED);
            assertThat(signOut.getOccurredAt()).isAfter(restartedAt);
            t.awaitSubjectState(reg, "SIGNED_OUT");

            // Exactly once: a few more rounds of the deadline job add nothing.
            signOuts.assertNone(
                    SignOutRequired.class,
                    e -> e.getSubjectId().equals(reg) && !e.getEventId().equals(signOut.getEventId()),
                    QUIET.multipliedBy(2));
            assertThat(verdicts.all().stream()
                            .map(r -> r.event())
                            .filter(e -> e instanceof RemediationAttempted attempt
                                    && attempt.getSubjectId().equals(reg)
                                    && attempt.getStatus() == RemediationStatus.FAILED)
                            .count())
                    .isEqualTo(1);
        }
    }

    /** Remediation on or off; otherwise only a minimum app version of 5.0 (and level 1 for the rest). */
    private static String minimumAppVersionPolicy(boolean remediationEnabled, String deadline) {
        return """
                {"name": "Mail up to date", "platform": "ANDROID", "appIds": ["%s"],
                 "settings": {"minimumAppVersion": {"block": "5.0"}, "remediationEnabled": %s,
                              "remediationDeadline": "%s"},
                 "targets": [{"kind": "ALL_USERS"}]}
                """
                .formatted(MAIL, remediationEnabled, deadline);
    }
}
