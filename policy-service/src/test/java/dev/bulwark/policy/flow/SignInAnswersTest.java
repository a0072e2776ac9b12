package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.appPolicy;
import static dev.bulwark.policy.flow.Fixtures.includeGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.kit.security.CachingTokenVerifier;
import dev.bulwark.policy.signin.SignInAnswers;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The remembered sign-in answers and the verified-token cache as a protected app sees them: a repeat sign-in neither
 * verifies the token again nor computes the answer again, and every change an answer depends on is in the next one.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class SignInAnswersTest {

    private static final String MAIL = "com.contoso.mail";
    private static final String PIN_6 =
            "{\"pinRequired\": true, \"pinCharacterSet\": \"NUMERIC\", \"pinMinimumLength\": 6}";
    private static final String PIN_8 =
            "{\"pinRequired\": true, \"pinCharacterSet\": \"NUMERIC\", \"pinMinimumLength\": 8}";

    @Inject
    CachingTokenVerifier tokens;

    @Inject
    SignInAnswers answers;

    @Test
    void aRepeatSignInVerifiesTheTokenOnceAndComputesTheAnswerOnce() {
        Fixtures f = new Fixtures();
        f.licence("amy", true);
        f.join("staff", "amy");
        f.createAppPolicy(appPolicy(MAIL, null, PIN_6, "[" + includeGroup("staff") + "]"));
        f.awaitSignIn("amy", MAIL, "PROTECTED");

        String token = f.user("amy");
        String first = f.signIn(token, MAIL).then().statusCode(200).extract().asString();
        long verifications = tokens.verifications();
        long computed = answers.computed();

        for (int i = 0; i < 20; i++) {
            Response again = f.signIn(token, MAIL);
            again.then().statusCode(200).contentType(ContentType.JSON);
            assertThat(withoutCheckAgainAt(again.asString())).isEqualTo(withoutCheckAgainAt(first));
            assertThat(Instant.parse(again.path("checkAgainAt")))
                    .isAfter(Instant.now().plus(Duration.ofHours(11)));
        }

        assertThat(java.util.List.of(tokens.verifications() - verifications, answers.computed() - computed))
                .as("[signature checks, answers computed] by 20 repeat sign-ins")
                .containsExactly(0L, 0L);
    }

    @Test
    void aPolicyChangeIsInTheVeryNextSignIn() {
        Fixtures f = new Fixtures();
        f.licence("ben", true);
        f.join("sales", "ben");
        String policy = f.createAppPolicy(appPolicy(MAIL, null, PIN_6, "[" + includeGroup("sales") + "]"));
        f.awaitSignIn("ben", MAIL, "PROTECTED");
        String token = f.user("ben");
        f.signIn(token, MAIL).then().body("policy.pinMinimumLength", equalTo(6));
        f.signIn(token, MAIL).then().body("policy.pinMinimumLength", equalTo(6));

        given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(appPolicy(MAIL, null, PIN_8, "[" + includeGroup("sales") + "]"))
                .put("/api/v1/app-protection-policies/" + policy)
                .then()
                .statusCode(200);

        f.signIn(token, MAIL)
                .then()
                .body("policy.pinMinimumLength", equalTo(8))
                .body("appliedPolicies[0].version", equalTo(2));
    }

    @Test
    void aPinSetIsInTheVeryNextSignIn() {
        Fixtures f = new Fixtures();
        f.licence("cat", true);
        f.join("ops", "cat");
        f.createAppPolicy(appPolicy(MAIL, null, PIN_6, "[" + includeGroup("ops") + "]"));
        f.awaitSignIn("cat", MAIL, "PROTECTED");
        String token = f.user("cat");
        f.signIn(token, MAIL).then().body("nextStep", equalTo("SET_PIN"));
        f.signIn(token, MAIL).then().body("nextStep", equalTo("SET_PIN"));

        f.pinSet(token, MAIL, 6).then().statusCode(200);

        f.signIn(token, MAIL).then().body("nextStep", equalTo("ENTER_PIN"));
    }

    @Test
    void aSignOutRequiredIsInTheNextSignInWithinOneSecond() {
        Fixtures f = new Fixtures();
        f.licence("dan", true);
        f.join("field", "dan");
        f.createAppPolicy(appPolicy(MAIL, null, PIN_6, "[" + includeGroup("field") + "]"));
        f.awaitSignIn("dan", MAIL, "PROTECTED");
        String token = f.user("dan");
        f.signIn(token, MAIL).then().body("status", equalTo("PROTECTED"));
        f.signIn(token, MAIL).then().body("status", equalTo("PROTECTED"));

        Fixtures.awaitNextSecondAfter(Instant.now());
        f.signOut("dan", MAIL, false);

        await("SIGNED_OUT within 1 s of SignOutRequired")
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> "SIGNED_OUT".equals(f.signIn(token, MAIL).path("status")));
        f.signIn(token, MAIL).then().body("nextStep", equalTo("SIGN_IN_AGAIN"));
    }

    @Test
    void aBadSignInIsStillAProblemNamingTheField() {
        Fixtures f = new Fixtures();
        given().auth()
                .oauth2(f.user("eve"))
                .get("/api/v1/me/sign-in")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("appId"));
        given().auth()
                .oauth2(f.user("eve"))
                .queryParam("appId", MAIL)
                .queryParam("platform", "SYMBIAN")
                .get("/api/v1/me/sign-in")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("platform"));
        given().queryParam("appId", MAIL).get("/api/v1/me/sign-in").then().statusCode(401);
    }

    @Test
    void fromMemoryOnlyWhatTheResourceWouldAnswer() {
        Fixtures f = new Fixtures();
        f.licence("fox", true);
        f.join("crew", "fox");
        f.createAppPolicy(appPolicy(MAIL, null, PIN_6, "[" + includeGroup("crew") + "]"));
        f.awaitSignIn("fox", MAIL, "PROTECTED");
        String token = f.user("fox");
        f.signIn(token, MAIL).then().statusCode(200);
        f.signIn(token, MAIL).then().statusCode(200);

        // the same cached token, with a parameter the resource refuses: still its 400
        given().auth()
                .oauth2(token)
                .queryParam("appId", MAIL)
                .queryParam("platform", "SYMBIAN")
                .get("/api/v1/me/sign-in")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // a tampered copy of the cached token: refused by the full verification
        String tampered = token.substring(0, token.length() - 6) + (token.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
        f.signIn(tampered, MAIL).then().statusCode(401);
        // a verified token of the same user without the user role: the resource's 403, not the remembered answer
        String admin = TestTokens.mint(f.tenant, "fox", Set.of("admin"), Optional.empty());
        given().auth()
                .oauth2(admin)
                .get("/api/v1/app-protection-policies")
                .then()
                .statusCode(200);
        f.signIn(admin, MAIL).then().statusCode(403);
    }

    private static String withoutCheckAgainAt(String json) {
        return json.replaceAll(",?\"checkAgainAt\":\"[^\"]*\"", "");
    }
}
