package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.appPolicy;
import static dev.bulwark.policy.flow.Fixtures.excludeGroup;
import static dev.bulwark.policy.flow.Fixtures.includeGroup;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Contradictory or impossible settings are refused with a 4xx problem+json naming the field; nothing is saved and
 * nothing is published.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class RefusalsTest {

    private static final String APP = "com.contoso.mail";

    private Fixtures f;
    private TopicProbe policies;

    @BeforeEach
    void open() {
        f = new Fixtures();
        policies = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.POLICIES);
    }

    @AfterEach
    void nothingWasSavedOrPublished() {
        try {
            for (String path : new String[] {
                "/api/v1/app-protection-policies", "/api/v1/compliance-policies", "/api/v1/conditional-access-rules"
            }) {
                given().auth()
                        .oauth2(f.admin())
                        .get(path)
                        .then()
                        .statusCode(200)
                        .body("$", hasSize(0));
            }
            policies.assertNone(PolicyChanged.class, e -> e.getTenantId().equals(f.tenant), Duration.ofSeconds(1));
        } finally {
            policies.close();
        }
    }

    @Test
    void aMinimumPinLengthBelowTheTemplatesIsRefused() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, "level-3-high", "{\"pinMinimumLength\": 4}", "[]"),
                422,
                "settings.pinMinimumLength");
    }

    @Test
    void anySettingWeakerThanTheTemplateIsRefused() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, "level-3-high", "{\"jailbrokenOrRooted\": \"BLOCK_ACCESS\"}", "[]"),
                422,
                "settings.jailbrokenOrRooted");
    }

    @Test
    void negativePeriodsAreRefused() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"offlineGracePeriodBeforeAccessCheck\": \"-PT1H\"}", "[]"),
                422,
                "settings.offlineGracePeriodBeforeAccessCheck");
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"remediationDeadline\": \"-PT5M\"}", "[]"),
                422,
                "settings.remediationDeadline");
    }

    @Test
    void aWipeBeforeTheOfflineAccessCheckIsRefused() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(
                        APP,
                        null,
                        "{\"offlineGracePeriodBeforeAccessCheck\": \"P2D\","
                                + " \"offlineGracePeriodBeforeWipe\": \"P1D\"}",
                        "[]"),
                422,
                "settings.offlineGracePeriodBeforeWipe");
    }

    @Test
    void aWipeLevelAboveTheBlockLevelIsRefused() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"minimumOsVersion\": {\"block\": \"14\", \"wipe\": \"15\"}}", "[]"),
                422,
                "settings.minimumOsVersion.wipe");
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"minimumAppVersion\": {\"warn\": \"5.0\", \"block\": \"5.2\"}}", "[]"),
                422,
                "settings.minimumAppVersion.block");
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"minimumAppVersion\": {\"warn\": \"five\"}}", "[]"),
                422,
                "settings.minimumAppVersion.warn");
    }

    @Test
    void anUnknownGroupIsRefused() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{}", "[" + includeGroup("nobody") + "]"),
                422,
                "targets[0].groupId");
    }

    @Test
    void aGroupBothIncludedAndExcludedIsRefused() {
        f.join("sales", "u1");
        // Wait until the group is known, with a request that must still be refused for the contradiction.
        org.awaitility.Awaitility.await().atMost(Fixtures.EVENT_TIMEOUT).until(() -> given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(appPolicy(APP, null, "{}", "[" + includeGroup("sales") + "," + excludeGroup("sales") + "]"))
                .post("/api/v1/app-protection-policies")
                .asString()
                .contains("both included and excluded"));
    }

    @Test
    void appProtectionCannotTargetDevices() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{}", "[{\"kind\": \"ALL_DEVICES\"}]"),
                422,
                "targets[0].kind");
    }

    @Test
    void aMalformedAppIsRefusedAndAPolicyNeedsAnApp() {
        refused("/api/v1/app-protection-policies", appPolicy("not an app!", null, "{}", "[]"), 422, "appIds[0]");
        refused(
                "/api/v1/app-protection-policies",
                "{\"name\": \"x\", \"platform\": \"IOS\", \"appIds\": [], \"targets\": []}",
                422,
                "appIds");
    }

    @Test
    void anUnknownTemplateIsRefused() {
        refused("/api/v1/app-protection-policies", appPolicy(APP, "level-9", "{}", "[]"), 422, "templateId");
    }

    @Test
    void unknownSettingsAndWrongTypesAreRefused() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"pinColour\": \"red\"}", "[]"),
                422,
                "settings.pinColour");
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"pinMinimumLength\": \"six\"}", "[]"),
                422,
                "settings.pinMinimumLength");
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"pinMinimumLength\": 2}", "[]"),
                422,
                "settings.pinMinimumLength");
        refused(
                "/api/v1/app-protection-policies",
                "{\"name\": \"x\", \"platform\": \"WINDOWS\", \"appIds\": [\"a.b\"]}",
                400,
                "platform");
        refused("/api/v1/app-protection-policies", "{\"platform\": \"IOS\", \"appIds\": [\"a.b\"]}", 400, "name");
    }

    @Test
    void aComplianceScheduleThatRetiresBeforeItBlocksIsRefused() {
        refused(
                "/api/v1/compliance-policies",
                compliance(
                        "\"minimumOsVersion\": \"14\"",
                        "{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"P1D\"}, {\"action\": \"BLOCK\", \"after\": \"P5D\"},"
                                + " {\"action\": \"RETIRE\", \"after\": \"P2D\"}"),
                422,
                "actions[2].after");
    }

    @Test
    void aNegativeGracePeriodIsRefused() {
        refused(
                "/api/v1/compliance-policies",
                compliance("\"minimumOsVersion\": \"14\"", "{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"-P1D\"}"),
                422,
                "actions[0].after");
    }

    @Test
    void aMinimumOsAboveTheMaximumIsRefused() {
        refused(
                "/api/v1/compliance-policies",
                compliance(
                        "\"minimumOsVersion\": \"16\", \"maximumOsVersion\": \"14\"",
                        "{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT0S\"}"),
                422,
                "rules.maximumOsVersion");
    }

    @Test
    void aMinimumOsVersionOfFiveGroupsThatNoDeviceCanReportIsRefused() {
        refused(
                "/api/v1/compliance-policies",
                compliance(
                        "\"minimumOsVersion\": \"10.0.19045.1.2\"",
                        "{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT0S\"}"),
                422,
                "rules.minimumOsVersion",
                "has 5 number groups, at most 4 (no device reports more), was '10.0.19045.1.2'");
        refused(
                "/api/v1/compliance-policies",
                compliance(
                        "\"minimumOsVersion\": \"14\", \"maximumOsVersion\": \"16.0.0.0.1\"",
                        "{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT0S\"}"),
                422,
                "rules.maximumOsVersion",
                "has 5 number groups, at most 4 (no device reports more), was '16.0.0.0.1'");
    }

    @Test
    void aMinimumOsOrAppVersionLevelOfFiveGroupsThatNoDeviceCanReportIsRefused() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"minimumOsVersion\": {\"warn\": \"10.0.19045.1.2\"}}", "[]"),
                422,
                "settings.minimumOsVersion.warn",
                "has 5 number groups, at most 4 (no device reports more), was '10.0.19045.1.2'");
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"minimumAppVersion\": {\"block\": \"5.2.1.0.7\"}}", "[]"),
                422,
                "settings.minimumAppVersion.block",
                "has 5 number groups, at most 4 (no device reports more), was '5.2.1.0.7'");
    }

    @Test
    void aScheduleWithoutMarkingNonCompliantIsRefused() {
        refused(
                "/api/v1/compliance-policies",
                compliance("\"minimumOsVersion\": \"14\"", "{\"action\": \"NOTIFY\", \"after\": \"PT0S\"}"),
                422,
                "actions");
    }

    @Test
    void aConditionalAccessRuleWithoutGrantOrWithAnUnknownGroupIsRefused() {
        refused(
                "/api/v1/conditional-access-rules",
                "{\"name\": \"r\", \"resources\": [\"*\"], \"require\": [], \"targets\": []}",
                422,
                "require");
        refused(
                "/api/v1/conditional-access-rules",
                "{\"name\": \"r\", \"resources\": [\"*\"], \"require\": [\"COMPLIANT_DEVICE\"], \"targets\": ["
                        + includeGroup("ghosts") + "]}",
                422,
                "targets[0].groupId");
    }

    private static String compliance(String rules, String actions) {
        return """
                {"name": "c", "platform": "IOS",
                 "rules": {%s, "encryptionRequired": true, "passcodeRequired": true, "jailbrokenBlocked": true},
                 "actions": [%s], "targets": [{"kind": "ALL_USERS"}]}
                """
                .formatted(rules, actions);
    }

    @Test
    void aNulInAPolicyNameIsA400NamingTheFieldNotA500() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{}", "[]").replace("Mail protection", "Mail\\u0000protection"),
                400,
                "name");
    }

    @Test
    void aNulOrAnOverlongGroupIdInATargetIsRefusedNamingTheTarget() {
        refused(
                "/api/v1/compliance-policies",
                """
                {"name": "Baseline", "platform": "ANDROID", "rules": {}, "actions": [],
                 "targets": [%s]}
                """
                        .formatted(includeGroup("staff\\u0000")),
                400,
                "targets[0].groupId");
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{}", "[" + includeGroup("g".repeat(129)) + "]"),
                400,
                "targets[0].groupId");
    }

    @Test
    void anAppIdOverTheLimitIsRefusedNamingTheListItem() {
        refused("/api/v1/app-protection-policies", appPolicy("a".repeat(129), null, "{}", "[]"), 400, "appIds[0]");
    }

    @Test
    void aVersionOverItsDocumentedMaximumInTheSettingsIsA400NamingIt() {
        refused(
                "/api/v1/app-protection-policies",
                appPolicy(APP, null, "{\"minimumOsVersion\": {\"warn\": \"" + "1".repeat(65) + "\"}}", "[]"),
                400,
                "settings.minimumOsVersion.warn");
    }

    private void refused(String path, String body, int status, String field, String message) {
        given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("errors.find { it.field == '" + field + "' }.message", equalTo(message));
    }

    private void refused(String path, String body, int status, String field) {
        given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(body)
                .post(path)
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }
}
