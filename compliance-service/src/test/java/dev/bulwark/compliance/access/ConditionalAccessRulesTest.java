package dev.bulwark.compliance.access;

import static dev.bulwark.compliance.access.Grant.APP_PROTECTION_POLICY;
import static dev.bulwark.compliance.access.Grant.COMPLIANT_DEVICE;
import static dev.bulwark.compliance.access.GrantOperator.REQUIRE_ALL;
import static dev.bulwark.compliance.access.GrantOperator.REQUIRE_ONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.compliance.access.ConditionalAccessRules.AccessFlip;
import dev.bulwark.compliance.policy.PolicyTarget;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.TargetKind;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The conditional-access decision, row by row: each grant against each kind of subject, both operators, targeting
 * (include, exclusion wins, all users, an unlicensed user: still targeted, never protected), disabled rules, several
 * rules on one resource, and resources no rule names.
 */
class ConditionalAccessRulesTest {

    private static final AccessVerdict COMPLIANT = new AccessVerdict(AccessDecision.ALLOW, "Access allowed.");
    private static final String SALES = "sales";
    private static final String CONTRACTORS = "contractors";

    // the subjects: a compliant managed device, a protected compliant app, an app no policy protects, a device or app
    // that is not compliant, each of a licensed user in the sales group
    private static final AccessFacts COMPLIANT_DEVICE_SUBJECT = facts(ManagementType.MANAGED, true, false);
    private static final AccessFacts NON_COMPLIANT_DEVICE = facts(ManagementType.MANAGED, false, false);
    private static final AccessFacts PROTECTED_APP = facts(ManagementType.UNMANAGED, true, true);
    private static final AccessFacts UNPROTECTED_APP = facts(ManagementType.UNMANAGED, true, false);
    private static final AccessFacts PROTECTED_NON_COMPLIANT_APP = facts(ManagementType.UNMANAGED, false, true);

    @ParameterizedTest(name = "{0} on {1}, {2}: {3}")
    @CsvSource({
        // grant,                          operator,    subject,                    met
        "COMPLIANT_DEVICE,                 REQUIRE_ALL, COMPLIANT_DEVICE_SUBJECT,    true",
        "COMPLIANT_DEVICE,                 REQUIRE_ALL, NON_COMPLIANT_DEVICE,        false",
        "COMPLIANT_DEVICE,                 REQUIRE_ALL, PROTECTED_APP,               false",
        "COMPLIANT_DEVICE,                 REQUIRE_ALL, UNPROTECTED_APP,             false",
        "APP_PROTECTION_POLICY,            REQUIRE_ALL, PROTECTED_APP,               true",
        "APP_PROTECTION_POLICY,            REQUIRE_ALL, UNPROTECTED_APP,             false",
        "APP_PROTECTION_POLICY,            REQUIRE_ALL, PROTECTED_NON_COMPLIANT_APP, false",
        "APP_PROTECTION_POLICY,            REQUIRE_ALL, COMPLIANT_DEVICE_SUBJECT,    false",
        "COMPLIANT_DEVICE,                 REQUIRE_ONE, COMPLIANT_DEVICE_SUBJECT,    true",
        "COMPLIANT_DEVICE,                 REQUIRE_ONE, UNPROTECTED_APP,             false",
        "APP_PROTECTION_POLICY,            REQUIRE_ONE, PROTECTED_APP,               true",
        "APP_PROTECTION_POLICY,            REQUIRE_ONE, COMPLIANT_DEVICE_SUBJECT,    false",
    })
    void aSingleGrantIsMetOnlyByTheSubjectItDescribes(
            Grant grant, GrantOperator operator, String subject, boolean met) {
        ConditionalAccessRule rule = rule("r1", List.of("crm"), List.of(grant), operator, allUsers());

        Optional<AccessDenial> denial = ConditionalAccessRules.denial("crm", subject(subject), List.of(rule));

        assertThat(denial.isEmpty()).isEqualTo(met);
        denial.ifPresent(d -> assertThat(d.grant()).isEqualTo(grant));
    }

    @ParameterizedTest(name = "both grants, {0}, {1}: {2}")
    @CsvSource({
        "REQUIRE_ALL, COMPLIANT_DEVICE_SUBJECT,    false",
        "REQUIRE_ALL, PROTECTED_APP,               false",
        "REQUIRE_ALL, UNPROTECTED_APP,             false",
        "REQUIRE_ONE, COMPLIANT_DEVICE_SUBJECT,    true",
        "REQUIRE_ONE, PROTECTED_APP,               true",
        "REQUIRE_ONE, UNPROTECTED_APP,             false",
        "REQUIRE_ONE, NON_COMPLIANT_DEVICE,        false",
        "REQUIRE_ONE, PROTECTED_NON_COMPLIANT_APP, false",
    })
    void requireAllNeedsEveryGrantAndRequireOneAnyOne(GrantOperator operator, String subject, boolean met) {
        ConditionalAccessRule rule =
                rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE, APP_PROTECTION_POLICY), operator, allUsers());

        assertThat(ConditionalAccessRules.denial("crm", subject(subject), List.of(rule))
                        .isEmpty())
                .isEqualTo(met);
    }

    @Test
    void requireAllNamesTheFirstGrantTheSubjectLacksAndEveryOneItLacks() {
        ConditionalAccessRule rule =
                rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE, APP_PROTECTION_POLICY), REQUIRE_ALL, allUsers());

        AccessDenial denial = ConditionalAccessRules.denial("crm", PROTECTED_APP, List.of(rule))
                .orElseThrow();

        assertThat(denial.grant()).isEqualTo(COMPLIANT_DEVICE);
        assertThat(denial.unmetGrants()).containsExactly(COMPLIANT_DEVICE);
    }

    @Test
    void requireOneThatNoGrantMeetsListsEveryGrantAsAWayIn() {
        ConditionalAccessRule rule =
                rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE, APP_PROTECTION_POLICY), REQUIRE_ONE, allUsers());

        AccessVerdict verdict = ConditionalAccessRules.decide(COMPLIANT, "crm", UNPROTECTED_APP, List.of(rule));

        assertThat(verdict.decision()).isEqualTo(AccessDecision.DENY);
        assertThat(verdict.deniedBy().orElseThrow().unmetGrants())
                .containsExactly(COMPLIANT_DEVICE, APP_PROTECTION_POLICY);
        assertThat(verdict.message())
                .isEqualTo("crm needs a compliant managed device or an app protected by an app protection policy —"
                        + " enroll this device in Company Portal and open crm from it; or this app is not protected"
                        + " by your organization for your account; use an app your organization protects, or ask"
                        + " your administrator.");
    }

    @Test
    void anUnmanagedAppAskingForAResourceThatNeedsACompliantDeviceIsToldToEnrollTheDevice() {
        ConditionalAccessRule rule =
                rule("crm-rule", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, allUsers());

        AccessVerdict verdict = ConditionalAccessRules.decide(COMPLIANT, "crm", PROTECTED_APP, List.of(rule));

        assertThat(verdict.decision()).isEqualTo(AccessDecision.DENY);
        assertThat(verdict.message())
                .isEqualTo("crm needs a compliant managed device — enroll this device in Company Portal and open crm"
                        + " from it.");
        assertThat(verdict.deniedBy())
                .contains(new AccessDenial(
                        "crm-rule", "rule crm-rule", "crm", REQUIRE_ALL, COMPLIANT_DEVICE, List.of(COMPLIANT_DEVICE)));
    }

    @Test
    void anAppThatNoPolicyProtectsIsToldSoWhenTheResourceNeedsAppProtection() {
        ConditionalAccessRule rule =
                rule("files-rule", List.of("files"), List.of(APP_PROTECTION_POLICY), REQUIRE_ALL, allUsers());

        AccessVerdict verdict = ConditionalAccessRules.decide(COMPLIANT, "files", UNPROTECTED_APP, List.of(rule));

        assertThat(verdict.decision()).isEqualTo(AccessDecision.DENY);
        assertThat(verdict.message())
                .startsWith("files needs an app protected by an app protection policy — this app is not protected");
    }

    @Test
    void aManagedDeviceAskingForAResourceThatNeedsAppProtectionIsToldToUseAProtectedApp() {
        ConditionalAccessRule rule =
                rule("files-rule", List.of("files"), List.of(APP_PROTECTION_POLICY), REQUIRE_ALL, allUsers());

        assertThat(ConditionalAccessRules.decide(COMPLIANT, "files", COMPLIANT_DEVICE_SUBJECT, List.of(rule))
                        .message())
                .isEqualTo("files needs an app protected by an app protection policy — open files in an app your"
                        + " organization protects, signed in with your work account.");
    }

    @Test
    void anIncludedUserGroupBringsItsMembersUnderTheRule() {
        ConditionalAccessRule rule =
                rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, List.of(group(SALES, false)));

        assertThat(ConditionalAccessRules.denial("crm", UNPROTECTED_APP, List.of(rule)))
                .isPresent();
        assertThat(ConditionalAccessRules.denial("crm", inGroups(UNPROTECTED_APP, Set.of("marketing")), List.of(rule)))
                .as("a user outside the included group is not subject to the rule")
                .isEmpty();
    }

    @Test
    void exclusionWinsOverInclusionBetweenUserGroups() {
        ConditionalAccessRule rule = rule(
                "r1",
                List.of("crm"),
                List.of(COMPLIANT_DEVICE),
                REQUIRE_ALL,
                List.of(allUser(), group(SALES, false), group(CONTRACTORS, true)));
        AccessFacts contractor = inGroups(UNPROTECTED_APP, Set.of(SALES, CONTRACTORS));

        assertThat(ConditionalAccessRules.denial("crm", contractor, List.of(rule)))
                .isEmpty();
        assertThat(ConditionalAccessRules.denial("crm", UNPROTECTED_APP, List.of(rule)))
                .isPresent();
    }

    @Test
    void anUnlicensedUserIsStillSubjectToTheRuleAndNoAppProtectionPolicyProtectsTheirApps() {
        ConditionalAccessRule device = rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, allUsers());
        ConditionalAccessRule app =
                rule("r2", List.of("files"), List.of(APP_PROTECTION_POLICY), REQUIRE_ALL, allUsers());
        AccessFacts unlicensedApp = new AccessFacts(ManagementType.UNMANAGED, true, false, Set.of(SALES), false);
        AccessFacts unlicensedDevice = new AccessFacts(ManagementType.MANAGED, true, false, Set.of(SALES), false);
        // even if the facts were to claim protection, an unlicensed user's app does not meet the grant
        AccessFacts claimedProtected = new AccessFacts(ManagementType.UNMANAGED, true, true, Set.of(SALES), false);

        assertThat(ConditionalAccessRules.decide(COMPLIANT, "crm", unlicensedApp, List.of(device))
                        .decision())
                .isEqualTo(AccessDecision.DENY);
        assertThat(ConditionalAccessRules.decide(COMPLIANT, "crm", unlicensedDevice, List.of(device)))
                .isEqualTo(COMPLIANT);
        AccessVerdict files = ConditionalAccessRules.decide(COMPLIANT, "files", unlicensedApp, List.of(app));
        assertThat(files.decision()).isEqualTo(AccessDecision.DENY);
        assertThat(files.message())
                .isEqualTo("files needs an app protected by an app protection policy — your account has no licence"
                        + " for your organization's app protection; ask your administrator for one.");
        assertThat(ConditionalAccessRules.denial("files", claimedProtected, List.of(app)))
                .isPresent();
    }

    @Test
    void allUsersReachesAUserInNoGroup() {
        ConditionalAccessRule rule = rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, allUsers());

        assertThat(ConditionalAccessRules.denial("crm", inGroups(UNPROTECTED_APP, Set.of()), List.of(rule)))
                .isPresent();
    }

    @Test
    void aRuleWithoutTargetsReachesNobody() {
        ConditionalAccessRule rule = rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, List.of());

        assertThat(ConditionalAccessRules.denial("crm", UNPROTECTED_APP, List.of(rule)))
                .isEmpty();
    }

    @Test
    void aDisabledRuleIsIgnored() {
        ConditionalAccessRule disabled = new ConditionalAccessRule(
                "r1", "off", 2, List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, false, allUsers());

        assertThat(ConditionalAccessRules.decide(COMPLIANT, "crm", UNPROTECTED_APP, List.of(disabled)))
                .isEqualTo(COMPLIANT);
    }

    @Test
    void everyRuleOnAResourceMustPassAndTheFirstThatFailsDenies() {
        ConditionalAccessRule oneOf = rule(
                "a-either", List.of("crm"), List.of(COMPLIANT_DEVICE, APP_PROTECTION_POLICY), REQUIRE_ONE, allUsers());
        ConditionalAccessRule device =
                rule("b-device", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, allUsers());

        AccessVerdict app = ConditionalAccessRules.decide(COMPLIANT, "crm", PROTECTED_APP, List.of(oneOf, device));
        AccessVerdict managed =
                ConditionalAccessRules.decide(COMPLIANT, "crm", COMPLIANT_DEVICE_SUBJECT, List.of(oneOf, device));

        assertThat(app.deniedBy().map(AccessDenial::ruleId)).contains("b-device");
        assertThat(managed.decision()).isEqualTo(AccessDecision.ALLOW);
    }

    @Test
    void aResourceThatNoRuleNamesKeepsTheComplianceOnlyDecision() {
        ConditionalAccessRule rule = rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, allUsers());

        assertThat(ConditionalAccessRules.decide(COMPLIANT, "mail", UNPROTECTED_APP, List.of(rule)))
                .isEqualTo(COMPLIANT);
        assertThat(ConditionalAccessRules.decide(COMPLIANT, "mail", UNPROTECTED_APP, List.of()))
                .isEqualTo(COMPLIANT);
    }

    @Test
    void aRuleOnEveryResourceAppliesToAnyResourceAndToAQuestionWithoutOne() {
        ConditionalAccessRule rule = rule("r1", List.of("*"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, allUsers());

        assertThat(ConditionalAccessRules.denial("mail", UNPROTECTED_APP, List.of(rule)))
                .isPresent();
        assertThat(ConditionalAccessRules.decide(COMPLIANT, "*", UNPROTECTED_APP, List.of(rule))
                        .message())
                .startsWith("Corporate data needs a compliant managed device — enroll this device in Company Portal"
                        + " and open it from it");
    }

    @Test
    void aSubjectAlreadyBlockedOrSignedOutStaysSoWhateverTheRules() {
        AccessVerdict blocked = new AccessVerdict(AccessDecision.BLOCK, "Access is blocked until this is fixed.");
        AccessVerdict signedOut = new AccessVerdict(AccessDecision.SIGNED_OUT, "Signed out, sign in again.");
        ConditionalAccessRule rule = rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, allUsers());

        assertThat(ConditionalAccessRules.decide(blocked, "crm", NON_COMPLIANT_DEVICE, List.of(rule)))
                .isEqualTo(blocked);
        assertThat(ConditionalAccessRules.decide(signedOut, "crm", UNPROTECTED_APP, List.of(rule)))
                .isEqualTo(signedOut);
    }

    @Test
    void aGrantThisVersionDoesNotKnowIsNeverMet() {
        ConditionalAccessRule rule = rule("r1", List.of("crm"), List.of(Grant.UNKNOWN), REQUIRE_ONE, allUsers());

        assertThat(ConditionalAccessRules.denial("crm", COMPLIANT_DEVICE_SUBJECT, List.of(rule)))
                .isPresent();
    }

    @Test
    void aRuleWithoutAnyGrantThisVersionCanReadDenies() {
        ConditionalAccessRule rule = rule("r1", List.of("crm"), List.of(), REQUIRE_ALL, allUsers());

        assertThat(ConditionalAccessRules.denial("crm", COMPLIANT_DEVICE_SUBJECT, List.of(rule)))
                .hasValueSatisfying(denial -> assertThat(denial.grant()).isEqualTo(Grant.UNKNOWN));
    }

    @Test
    void aRuleChangeFlipsTheDecisionOnlyForTheSubjectsItNowDeniesOrNoLongerDenies() {
        ConditionalAccessRule before = rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE), REQUIRE_ALL, allUsers());
        ConditionalAccessRule after =
                rule("r1", List.of("crm"), List.of(COMPLIANT_DEVICE, APP_PROTECTION_POLICY), REQUIRE_ONE, allUsers());

        Optional<AccessFlip> protectedApp =
                ConditionalAccessRules.flip(true, "crm", PROTECTED_APP, List.of(before), List.of(after));
        Optional<AccessFlip> device =
                ConditionalAccessRules.flip(true, "crm", COMPLIANT_DEVICE_SUBJECT, List.of(before), List.of(after));
        Optional<AccessFlip> created =
                ConditionalAccessRules.flip(true, "crm", UNPROTECTED_APP, List.of(), List.of(before));
        Optional<AccessFlip> blocked =
                ConditionalAccessRules.flip(false, "crm", UNPROTECTED_APP, List.of(), List.of(before));

        assertThat(protectedApp).hasValueSatisfying(flip -> {
            assertThat(flip.before()).isEqualTo(AccessDecision.DENY);
            assertThat(flip.after()).isEqualTo(AccessDecision.ALLOW);
        });
        assertThat(device).isEmpty();
        assertThat(created).hasValueSatisfying(flip -> {
            assertThat(flip.after()).isEqualTo(AccessDecision.DENY);
            assertThat(flip.denial().ruleId()).isEqualTo("r1");
            assertThat(flip.message()).startsWith("crm needs a compliant managed device");
        });
        assertThat(blocked)
                .as("a subject compliance already blocks has nothing to flip")
                .isEmpty();
    }

    private static AccessFacts facts(ManagementType path, boolean compliant, boolean isProtected) {
        return new AccessFacts(path, compliant, isProtected, Set.of(SALES), true);
    }

    private static AccessFacts inGroups(AccessFacts facts, Set<String> groups) {
        return new AccessFacts(
                facts.path(), facts.compliant(), facts.protectedByAppProtectionPolicy(), groups, facts.licensed());
    }

    private static AccessFacts subject(String name) {
        switch (name) {
            case "COMPLIANT_DEVICE_SUBJECT":
                return COMPLIANT_DEVICE_SUBJECT;
            case "NON_COMPLIANT_DEVICE":
                return NON_COMPLIANT_DEVICE;
            case "PROTECTED_APP":
                return PROTECTED_APP;
            case "UNPROTECTED_APP":
                return UNPROTECTED_APP;
            case "PROTECTED_NON_COMPLIANT_APP":
                return PROTECTED_NON_COMPLIANT_APP;
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private static ConditionalAccessRule rule(
            String id, List<String> resources, List<Grant> grants, GrantOperator operator, List<PolicyTarget> targets) {
        return new ConditionalAccessRule(id, "rule " + id, 1, resources, grants, operator, true, targets);
    }

    private static List<PolicyTarget> allUsers() {
        return List.of(allUser());
    }

    private static PolicyTarget allUser() {
        return new PolicyTarget(TargetKind.ALL_USERS, Optional.empty(), false);
    }

    private static PolicyTarget group(String groupId, boolean excluded) {
        return new PolicyTarget(TargetKind.USER_GROUP, Optional.of(groupId), excluded);
    }
}
