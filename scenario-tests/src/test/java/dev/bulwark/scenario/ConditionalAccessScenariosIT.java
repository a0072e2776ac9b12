package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's conditional access ("only managed apps and policy-compliant users can access corporate data"; a user out
 * of compliance with a Conditional Access policy may lose access) across device-registry, policy-service and
 * compliance-service running from their packaged jars on real Kafka and PostgreSQL: the admin writes rules at
 * policy-service over REST, and the decision that compliance-service gives for a subject and a resource changes.
 */
class ConditionalAccessScenariosIT {

    private static final String MAIL = "com.contoso.mail";
    private static final String NOTES = "com.contoso.notes";
    private static final String APP_VERSION = "5.1";

    @TempDir
    static Path dataDir;

    private static RunningStack stack;

    @BeforeAll
    static void startStack() {
        stack = ScenarioStack.start(
                dataDir,
                EnumSet.of(
                        BulwarkService.DEVICE_REGISTRY,
                        BulwarkService.POLICY_SERVICE,
                        BulwarkService.COMPLIANCE_SERVICE));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void onlyManagedAppsAndPolicyCompliantUsersCanAccessCorporateDataOnceAnAdminWritesARule() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("alice");
        t.licence("alice");
        t.createAppProtectionPolicy(
                """
                {"name": "Mail PIN", "platform": "ANDROID", "appIds": ["%s"],
                 "settings": {"pinRequired": true}, "targets": [{"kind": "ALL_USERS"}]}
                """
                        .formatted(MAIL));

        // Alice's mail app (protected by the policy), a notes app no policy protects, and her enrolled phone, each
        // compliant: every resource is open to them.
        String alice = t.userToken("alice");
        String mail = t.registerApp(alice, MAIL, "phone-mail-" + t.id(), APP_VERSION);
        t.reportAppState(alice, mail, APP_VERSION, true);
        String notes = t.registerApp(alice, NOTES, "phone-notes-" + t.id(), APP_VERSION);
        t.reportAppState(alice, notes, APP_VERSION, true);
        String phone = enrollCompliantPhone(t, "alice");
        t.awaitAccess(alice, mail, "crm", "ALLOW");
        t.awaitAccess(alice, notes, "files", "ALLOW");
        t.awaitAccess(t.admin(), phone, "crm", "ALLOW");

        // crm now needs a compliant managed device: the mail app is denied crm, with the rule and what to do
        String crmRule = createRule(
                t,
                """
                {"name": "CRM on managed devices", "resources": ["crm"], "require": ["COMPLIANT_DEVICE"],
                 "targets": [{"kind": "ALL_USERS"}]}
                """);
        Response denied = t.awaitAccess(alice, mail, "crm", "DENY");
        assertThat(denied.<String>path("message"))
                .isEqualTo("crm needs a compliant managed device — enroll this device in Company Portal and open crm"
                        + " from it.");
        assertThat(denied.<String>path("deniedBy.ruleId")).isEqualTo(crmRule);
        assertThat(denied.<String>path("deniedBy.ruleName")).isEqualTo("CRM on managed devices");
        assertThat(denied.<String>path("deniedBy.grant")).isEqualTo("COMPLIANT_DEVICE");
        assertThat(t.access(t.admin(), phone, "crm").<String>path("decision")).isEqualTo("ALLOW");
        assertThat(t.access(alice, mail, "mail").<String>path("decision")).isEqualTo("ALLOW");

        // files now needs an app that an app protection policy protects: the notes app is denied files, mail is not
        String filesRule = createRule(
                t,
                """
                {"name": "Files in protected apps", "resources": ["files"], "require": ["APP_PROTECTION_POLICY"],
                 "operator": "REQUIRE_ALL", "targets": [{"kind": "ALL_USERS"}]}
                """);
        Response unprotected = t.awaitAccess(alice, notes, "files", "DENY");
        assertThat(unprotected.<String>path("deniedBy.ruleId")).isEqualTo(filesRule);
        assertThat(unprotected.<String>path("deniedBy.grant")).isEqualTo("APP_PROTECTION_POLICY");
        assertThat(unprotected.<String>path("message"))
                .startsWith("files needs an app protected by an app protection policy — ");
        assertThat(t.access(alice, mail, "files").<String>path("decision")).isEqualTo("ALLOW");

        // the "why" is on the timeline; losing one resource is a decision, not a sign-out
        await("ACCESS_CHANGED on the mail app's timeline")
                .atMost(ScenarioTenant.EVENT_TIMEOUT)
                .untilAsserted(() -> assertThat(t.timeline(mail)
                                .jsonPath()
                                .<Map<String, Object>>getList(
                                        "entries.findAll {" + " it.kind == 'ACCESS_CHANGED' }.detail"))
                        .extracting(d -> List.of(d.get("ruleId"), d.get("resource"), d.get("before"), d.get("after")))
                        .containsExactly(List.of(crmRule, "crm", "ALLOW", "DENY")));
        assertThat(t.subject(mail).<String>path("state")).isEqualTo("COMPLIANT");
    }

    private static String createRule(ScenarioTenant t, String body) {
        return given().auth()
                .oauth2(t.admin())
                .contentType(ContentType.JSON)
                .body(body)
                .post(t.policy() + "/api/v1/conditional-access-rules")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** The user enrolls a phone and its MDM agent checks in: encrypted, passcode set, not rooted. */
    private static String enrollCompliantPhone(ScenarioTenant t, String userId) {
        String deviceId = given().auth()
                .oauth2(t.userToken(userId))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "userId", userId,
                        "platform", "ANDROID",
                        "osVersion", "14",
                        "model", "Pixel 8",
                        "hardwareId", "hw-" + userId + "-" + t.id(),
                        "ownership", "CORPORATE"))
                .post(t.registry() + "/api/v1/devices")
                .then()
                .statusCode(201)
                .extract()
                .path("deviceId");
        given().auth()
                .oauth2(stack.deviceToken(t.id(), deviceId))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "osVersion", "14",
                        "encrypted", true,
                        "passcodeSet", true,
                        "jailbroken", false,
                        "installedApps", List.of()))
                .post(t.registry() + "/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(200);
        return deviceId;
    }
}
