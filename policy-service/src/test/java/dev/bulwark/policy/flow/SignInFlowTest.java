package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.allUsers;
import static dev.bulwark.policy.flow.Fixtures.appPolicy;
import static dev.bulwark.policy.flow.Fixtures.excludeGroup;
import static dev.bulwark.policy.flow.Fixtures.includeGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.events.ManagementType;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The seed's rules for a protected app's sign-in, on real Kafka (directory and sign-out events) and PostgreSQL. */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class SignInFlowTest {

    private static final String MAIL = "com.contoso.mail";
    private static final String SIX_DIGITS =
            "{\"pinRequired\": true, \"pinCharacterSet\": \"NUMERIC\"," + " \"pinMinimumLength\": 6}";

    @Test
    void aSixDigitPinMakesTheFirstSignInAPinSetUpAndEveryLaterSignInAPinPromptAndNonComplianceSignsTheUserOut() {
        Fixtures f = new Fixtures();
        f.licence("alice", true);
        f.join("sales", "alice");
        f.createAppPolicy(appPolicy(MAIL, null, SIX_DIGITS, "[" + includeGroup("sales") + "]"));

        // First sign-in: a message describing the device state, and a request to set a 6-digit PIN.
        Response first = f.awaitSignIn("alice", MAIL, "PROTECTED");
        first.then()
                .statusCode(200)
                .body("nextStep", equalTo("SET_PIN"))
                .body("message", containsString("Your organization is now protecting its data in this app"))
                .body("message", containsString("On this device"))
                .body("message", containsString("Set a 6-digit PIN"))
                .body("policy.pinRequired", equalTo(true))
                .body("policy.pinMinimumLength", equalTo(6))
                .body("appliedPolicies", hasSize(1));

        f.pinSet(f.user("alice"), MAIL, 6).then().statusCode(200).body("nextStep", equalTo("ENTER_PIN"));

        // After the PIN is set: every sign-in asks for it.
        for (int i = 0; i < 3; i++) {
            f.signIn(f.user("alice"), MAIL)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("PROTECTED"))
                    .body("nextStep", equalTo("ENTER_PIN"))
                    .body("message", equalTo("Enter your PIN to access your work account."));
        }

        // Out of compliance: compliance-service requires the sign-out; the app is told to sign the user out.
        String before = f.user("alice");
        Fixtures.awaitNextSecondAfter(Instant.now());
        SignOutRequired signOut = f.signOut("alice", MAIL, false);
        Response signedOut = f.awaitSignInWith(before, MAIL, "SIGNED_OUT");
        signedOut
                .then()
                .body("nextStep", equalTo("SIGN_IN_AGAIN"))
                .body("message", containsString("sign back in"))
                .body("policy", nullValue())
                .body("signOut.reason", equalTo("REMEDIATION_DISABLED"));
        f.signIn(before, MAIL).then().body("status", equalTo("SIGNED_OUT"));

        // Signing back in (a token issued after the sign-out) clears it; the PIN is still asked for.
        Fixtures.awaitNextSecondAfter(signOut.getOccurredAt());
        f.signIn(f.user("alice"), MAIL)
                .then()
                .body("status", equalTo("PROTECTED"))
                .body("nextStep", equalTo("ENTER_PIN"));
        f.signIn(f.user("alice"), MAIL).then().body("status", equalTo("PROTECTED"));
    }

    @Test
    void aSignOutWithSelectiveWipeMakesTheUserSetThePinAgainAfterSigningBackIn() {
        Fixtures f = new Fixtures();
        f.licence("bea", true);
        f.join("ops", "bea");
        f.createAppPolicy(appPolicy(MAIL, null, SIX_DIGITS, "[" + includeGroup("ops") + "]"));
        f.awaitSignIn("bea", MAIL, "PROTECTED");
        f.pinSet(f.user("bea"), MAIL, 6).then().statusCode(200);

        String before = f.user("bea");
        Fixtures.awaitNextSecondAfter(Instant.now());
        SignOutRequired signOut = f.signOut("bea", MAIL, true);
        f.awaitSignInWith(before, MAIL, "SIGNED_OUT").then().body("signOut.selectiveWipe", equalTo(true));

        Fixtures.awaitNextSecondAfter(signOut.getOccurredAt());
        f.signIn(f.user("bea"), MAIL)
                .then()
                .body("status", equalTo("PROTECTED"))
                .body("nextStep", equalTo("SET_PIN"));
    }

    @Test
    void anUnmanagedSignOutSignsOutOnlyThatAppInstanceWhileAManagedOneReachesEveryInstallation() {
        Fixtures f = new Fixtures();
        f.licence("oli", true);
        f.join("retail", "oli");
        f.createAppPolicy(appPolicy(MAIL, null, SIX_DIGITS, "[" + includeGroup("retail") + "]"));
        f.awaitSignIn("oli", MAIL, "PROTECTED");

        // The same user and app on two installations: the phone's app instance is signed out, the tablet's is not.
        String before = f.user("oli");
        Fixtures.awaitNextSecondAfter(Instant.now());
        f.signOut("oli", MAIL, false, ManagementType.UNMANAGED, "reg-phone");
        f.awaitSignInWith(before, MAIL, "reg-phone", "SIGNED_OUT")
                .then()
                .body("registrationId", equalTo("reg-phone"))
                .body("signOut.subjectId", equalTo("reg-phone"));
        f.signIn(before, MAIL, "reg-tablet")
                .then()
                .statusCode(200)
                .body("status", equalTo("PROTECTED"))
                .body("signOut", nullValue());
        f.signIn(before, MAIL, "reg-phone").then().body("status", equalTo("SIGNED_OUT"));

        // A managed sign-out names a device, which a sign-in does not: it reaches the account's every installation.
        f.signOut("oli", MAIL, false, ManagementType.MANAGED, "device-oli");
        f.awaitSignInWith(before, MAIL, "reg-tablet", "SIGNED_OUT")
                .then()
                .body("signOut.subjectId", equalTo("device-oli"));
    }

    @Test
    void onlyLicensedUsersGetAppProtectionRulesAndAnUnlicensedUserIsToldToAskAgainIn12Hours() {
        Fixtures f = new Fixtures();
        f.join("field", "carl");
        f.licence("carl", false);
        f.createAppPolicy(appPolicy(MAIL, null, SIX_DIGITS, "[" + includeGroup("field") + "]"));

        Response unlicensed = f.awaitSignIn("carl", MAIL, "UNLICENSED");
        unlicensed
                .then()
                .body("nextStep", equalTo("CONTINUE"))
                .body("policy", nullValue())
                .body("appliedPolicies", hasSize(0))
                .body("checkAgainAfter", equalTo("PT12H"))
                .body("message", containsString("not licensed"));
        Instant checkAgainAt = Instant.parse(unlicensed.path("checkAgainAt"));
        assertThat(checkAgainAt)
                .isBetween(
                        Instant.now().plusSeconds(12 * 3600 - 60), Instant.now().plusSeconds(12 * 3600 + 60));

        f.licence("carl", true);
        f.awaitSignIn("carl", MAIL, "PROTECTED").then().body("nextStep", equalTo("SET_PIN"));
    }

    @Test
    void onlyTargetedUsersAreSubjectToThePolicy() {
        Fixtures f = new Fixtures();
        f.licence("dora", true);
        f.licence("ed", true);
        f.join("finance", "dora");
        f.join("other", "ed");
        f.createAppPolicy(appPolicy(MAIL, null, SIX_DIGITS, "[" + includeGroup("finance") + "]"));
        f.awaitSignIn("dora", MAIL, "PROTECTED");

        f.signIn(f.user("ed"), MAIL)
                .then()
                .statusCode(200)
                .body("status", equalTo("NOT_TARGETED"))
                .body("policy", nullValue());
        // Another app of the same tenant is not protected by this policy.
        f.signIn(f.user("dora"), "com.contoso.chat").then().body("status", equalTo("NOT_TARGETED"));
        // Another tenant's user with the same id is not subject to it.
        f.signIn(TestTokens.user("other-" + f.tenant, "dora"), MAIL).then().body("status", equalTo("NOT_TARGETED"));
    }

    @Test
    void exclusionWinsOverInclusionBetweenUserGroups() {
        Fixtures f = new Fixtures();
        f.licence("fay", true);
        f.licence("gus", true);
        f.join("all-staff", "fay");
        f.join("all-staff", "gus");
        f.join("executives", "gus");
        f.createAppPolicy(appPolicy(
                MAIL, null, SIX_DIGITS, "[" + includeGroup("all-staff") + "," + excludeGroup("executives") + "]"));

        f.awaitSignIn("fay", MAIL, "PROTECTED");
        f.signIn(f.user("gus"), MAIL).then().body("status", equalTo("NOT_TARGETED"));

        // Leaving the excluded group makes the user subject again.
        f.membership("executives", "gus", MembershipChange.REMOVED);
        f.awaitSignIn("gus", MAIL, "PROTECTED");
    }

    @Test
    void allUsersWithAnExcludedGroupCoversEveryoneButThatGroup() {
        Fixtures f = new Fixtures();
        f.licence("hal", true);
        f.licence("ivy", true);
        f.join("contractors", "ivy");
        f.createAppPolicy(
                appPolicy(MAIL, null, SIX_DIGITS, "[" + allUsers() + "," + excludeGroup("contractors") + "]"));

        f.awaitSignIn("hal", MAIL, "PROTECTED");
        f.signIn(f.user("ivy"), MAIL).then().body("status", equalTo("NOT_TARGETED"));
    }

    @Test
    void whereTwoPoliciesTargetTheSameUserAndAppTheMostRestrictiveSettingWins() {
        Fixtures f = new Fixtures();
        f.licence("jo", true);
        f.join("g1", "jo");
        f.join("g2", "jo");
        f.createAppPolicy(appPolicy(
                MAIL,
                null,
                """
                {"pinMinimumLength": 8, "maximumPinRetries": 10, "backupAllowed": true,
                 "jailbrokenOrRooted": "WIPE_DATA", "minimumOsVersion": {"block": "13"},
                 "remediationDeadline": "PT24H", "sendDataTo": "ALL_APPS"}
                """,
                "[" + includeGroup("g1") + "]"));
        f.createAppPolicy(appPolicy(
                MAIL,
                null,
                """
                {"pinMinimumLength": 4, "maximumPinRetries": 3, "backupAllowed": false,
                 "jailbrokenOrRooted": "BLOCK_ACCESS", "minimumOsVersion": {"warn": "15", "block": "14"},
                 "remediationDeadline": "PT2H", "sendDataTo": "POLICY_MANAGED_APPS", "pinCharacterSet": "PASSCODE"}
                """,
                "[" + includeGroup("g2") + "]"));

        Response effective = f.awaitSignIn("jo", MAIL, "PROTECTED");
        effective
                .then()
                .body("appliedPolicies", hasSize(2))
                .body("policy.pinMinimumLength", equalTo(8))
                .body("policy.maximumPinRetries", equalTo(3))
                .body("policy.backupAllowed", equalTo(false))
                .body("policy.jailbrokenOrRooted", equalTo("WIPE_DATA"))
                .body("policy.minimumOsVersion.warn", equalTo("15"))
                .body("policy.minimumOsVersion.block", equalTo("14"))
                .body("policy.remediationDeadline", equalTo("PT2H"))
                .body("policy.sendDataTo", equalTo("POLICY_MANAGED_APPS"))
                .body("policy.pinCharacterSet", equalTo("PASSCODE"))
                .body("message", containsString("a passcode of at least 8 characters"));
    }

    @Test
    void aPinShorterThanThePolicyIsRefusedAndAPinWhereNoneIsRequiredIsAConflict() {
        Fixtures f = new Fixtures();
        f.licence("kim", true);
        f.join("hr", "kim");
        f.createAppPolicy(appPolicy(MAIL, null, SIX_DIGITS, "[" + includeGroup("hr") + "]"));
        f.awaitSignIn("kim", MAIL, "PROTECTED");

        f.pinSet(f.user("kim"), MAIL, 4)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("pinLength"));
        f.signIn(f.user("kim"), MAIL).then().body("nextStep", equalTo("SET_PIN"));

        f.pinSet(f.user("kim"), "com.contoso.unprotected", 6).then().statusCode(409);
    }

    @Test
    void aStricterPolicyAfterThePinWasSetAsksForANewPin() {
        Fixtures f = new Fixtures();
        f.licence("lou", true);
        f.join("legal", "lou");
        String id = f.createAppPolicy(appPolicy(MAIL, null, SIX_DIGITS, "[" + includeGroup("legal") + "]"));
        f.awaitSignIn("lou", MAIL, "PROTECTED");
        f.pinSet(f.user("lou"), MAIL, 6).then().statusCode(200).body("nextStep", equalTo("ENTER_PIN"));

        given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(appPolicy(MAIL, null, "{\"pinMinimumLength\": 8}", "[" + includeGroup("legal") + "]"))
                .put("/api/v1/app-protection-policies/" + id)
                .then()
                .statusCode(200)
                .body("version", equalTo(2));
        f.signIn(f.user("lou"), MAIL)
                .then()
                .body("nextStep", equalTo("SET_PIN"))
                .body("message", containsString("now requires a 8-digit PIN"));
    }

    @Test
    void conditionalAccessRulesThatConcernTheUserComeWithTheSignIn() {
        Fixtures f = new Fixtures();
        f.licence("max", true);
        f.join("mobile", "max");
        f.createAppPolicy(appPolicy(MAIL, null, SIX_DIGITS, "[" + includeGroup("mobile") + "]"));
        given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(
                        """
                        {"name": "Mail needs protection", "resources": ["exchange-online"],
                         "require": ["APP_PROTECTION_POLICY", "COMPLIANT_DEVICE"], "operator": "REQUIRE_ONE",
                         "targets": [%s]}
                        """
                                .formatted(includeGroup("mobile")))
                .post("/api/v1/conditional-access-rules")
                .then()
                .statusCode(201);

        f.awaitSignIn("max", MAIL, "PROTECTED")
                .then()
                .body("conditionalAccess", hasSize(1))
                .body("conditionalAccess[0].resources[0]", equalTo("exchange-online"))
                .body("conditionalAccess[0].operator", equalTo("REQUIRE_ONE"));
    }

    @Test
    void signInNeedsAUserTokenAndAWellFormedApp() {
        Fixtures f = new Fixtures();
        given().queryParam("appId", MAIL).get("/api/v1/me/sign-in").then().statusCode(401);
        f.signIn(f.admin(), MAIL).then().statusCode(403);
        given().auth()
                .oauth2(f.user("x"))
                .get("/api/v1/me/sign-in")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("appId"));
        given().auth()
                .oauth2(f.user("x"))
                .queryParam("appId", MAIL)
                .queryParam("platform", "SYMBIAN")
                .get("/api/v1/me/sign-in")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("platform"));
    }

    @Test
    void signInAlsoAnswersAPost() {
        Fixtures f = new Fixtures();
        given().auth()
                .oauth2(f.user("nia"))
                .contentType(ContentType.JSON)
                .body("{\"appId\": \"" + MAIL + "\", \"platform\": \"IOS\"}")
                .post("/api/v1/me/sign-in")
                .then()
                .statusCode(200)
                .body("status", equalTo("NOT_TARGETED"))
                .body("userId", equalTo("nia"));
    }
}
