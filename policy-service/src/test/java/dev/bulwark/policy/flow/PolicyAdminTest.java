package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.EVENT_TIMEOUT;
import static dev.bulwark.policy.flow.Fixtures.appPolicy;
import static dev.bulwark.policy.flow.Fixtures.includeGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.TargetKind;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Admin CRUD of the three policy kinds: versions, tenant isolation and PolicyChanged on bulwark.policies.v1. */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class PolicyAdminTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPolicyCreatedFromTheLevelThreeTemplateHasItsSettingsAndIsPublishedWithVersionAndTargets() throws Exception {
        Fixtures f = new Fixtures();
        f.join("sales", "u1");
        try (TopicProbe policies = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.POLICIES)) {
            String id = f.createAppPolicy(
                    appPolicy("com.contoso.mail", "level-3-high", "{}", "[" + includeGroup("sales") + "]"));

            given().auth()
                    .oauth2(f.admin())
                    .get("/api/v1/app-protection-policies/" + id)
                    .then()
                    .statusCode(200)
                    .body("version", equalTo(1))
                    .body("templateId", equalTo("level-3-high"))
                    .body("settings.simplePinBlocked", equalTo(true))
                    .body("settings.pinMinimumLength", equalTo(6))
                    .body("settings.jailbrokenOrRooted", equalTo("WIPE_DATA"))
                    .body("settings.offlineGracePeriodBeforeAccessCheck", equalTo("PT30M"));

            TopicProbe.ReceivedEvent received = policies.awaitReceived(
                    PolicyChanged.class, e -> e.getPolicyId().equals(id), EVENT_TIMEOUT);
            PolicyChanged event = received.event(PolicyChanged.class);
            assertThat(received.key()).isEqualTo(id);
            assertThat(event.getTenantId()).isEqualTo(f.tenant);
            assertThat(event.getPolicyKind()).isEqualTo(PolicyKind.APP_PROTECTION);
            assertThat(event.getChange()).isEqualTo(ChangeKind.CREATED);
            assertThat(event.getVersion()).isEqualTo(1);
            assertThat(event.getPlatform()).isEqualTo(Platform.ANDROID);
            assertThat(event.getTargets()).hasSize(1);
            assertThat(event.getTargets().get(0).getKind()).isEqualTo(TargetKind.USER_GROUP);
            assertThat(event.getTargets().get(0).getGroupId()).isEqualTo("sales");
            JsonNode body = JSON.readTree(event.getSettingsJson());
            assertThat(body.path("appIds").get(0).asText()).isEqualTo("com.contoso.mail");
            assertThat(body.path("settings").path("pinMinimumLength").asInt()).isEqualTo(6);
        }
    }

    @Test
    void everyChangeBumpsTheVersionAnIdenticalReplaceDoesNotAndDeleteIsPublished() {
        Fixtures f = new Fixtures();
        f.join("ops", "u2");
        try (TopicProbe policies = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.POLICIES)) {
            String id = f.createAppPolicy(appPolicy("com.contoso.mail", null, "{}", "[" + includeGroup("ops") + "]"));
            String changed =
                    appPolicy("com.contoso.mail", null, "{\"printAllowed\": false}", "[" + includeGroup("ops") + "]");
            put(f, id, changed).then().statusCode(200).body("version", equalTo(2));
            put(f, id, changed).then().statusCode(200).body("version", equalTo(2));
            policies.await(PolicyChanged.class, e -> e.getPolicyId().equals(id) && e.getVersion() == 2, EVENT_TIMEOUT);

            given().auth()
                    .oauth2(f.admin())
                    .delete("/api/v1/app-protection-policies/" + id)
                    .then()
                    .statusCode(204);
            PolicyChanged deleted = policies.await(
                    PolicyChanged.class, e -> e.getPolicyId().equals(id) && e.getVersion() == 3, EVENT_TIMEOUT);
            assertThat(deleted.getChange()).isEqualTo(ChangeKind.DELETED);
            // The identical replace published nothing: versions 1, 2 and 3 once each.
            assertThat(policies.all().stream()
                            .map(r -> r.event(PolicyChanged.class))
                            .filter(e -> e.getPolicyId().equals(id))
                            .map(PolicyChanged::getVersion))
                    .containsExactly(1L, 2L, 3L);
            given().auth()
                    .oauth2(f.admin())
                    .get("/api/v1/app-protection-policies/" + id)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void anotherTenantsAdminNeitherSeesNorChangesThePolicy() {
        Fixtures f = new Fixtures();
        Fixtures other = new Fixtures();
        String id = f.createAppPolicy(appPolicy("com.contoso.mail", null, "{}", "[]"));
        given().auth()
                .oauth2(other.admin())
                .get("/api/v1/app-protection-policies/" + id)
                .then()
                .statusCode(404);
        put(other, id, appPolicy("com.contoso.mail", null, "{}", "[]")).then().statusCode(404);
        given().auth()
                .oauth2(other.admin())
                .get("/api/v1/app-protection-policies")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
        given().auth()
                .oauth2(f.admin())
                .get("/api/v1/app-protection-policies")
                .then()
                .body("$", hasSize(1));
    }

    @Test
    void deviceCompliancePoliciesHaveRulesAGraduatedScheduleAndVersions() {
        Fixtures f = new Fixtures();
        f.deviceGroupMember("kiosks", "dev-1");
        String body =
                """
                {"name": "Android baseline", "platform": "ANDROID",
                 "rules": {"minimumOsVersion": "14", "maximumOsVersion": "16", "encryptionRequired": true,
                           "passcodeRequired": true, "jailbrokenBlocked": true, "requiredApps": ["com.contoso.portal"]},
                 "actions": [{"action": "NOTIFY", "after": "PT0S"}, {"action": "MARK_NON_COMPLIANT", "after": "P1D"},
                             {"action": "BLOCK", "after": "P3D"}, {"action": "RETIRE", "after": "P30D"}],
                 "targets": [{"kind": "ALL_DEVICES"}, {"kind": "DEVICE_GROUP", "groupId": "kiosks", "excluded": true}]}
                """;
        try (TopicProbe policies = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.POLICIES)) {
            String[] id = new String[1];
            org.awaitility.Awaitility.await().atMost(EVENT_TIMEOUT).until(() -> {
                var response = given().auth()
                        .oauth2(f.admin())
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post("/api/v1/compliance-policies");
                id[0] = response.statusCode() == 201 ? response.path("id") : null;
                return id[0] != null;
            });
            given().auth()
                    .oauth2(f.admin())
                    .contentType(ContentType.JSON)
                    .body(body.replace("\"P30D\"", "\"P60D\""))
                    .put("/api/v1/compliance-policies/" + id[0])
                    .then()
                    .statusCode(200)
                    .body("version", equalTo(2))
                    .body("actions[3].after", equalTo("PT1440H"));
            PolicyChanged event = policies.await(
                    PolicyChanged.class, e -> e.getPolicyId().equals(id[0]) && e.getVersion() == 2, EVENT_TIMEOUT);
            assertThat(event.getPolicyKind()).isEqualTo(PolicyKind.DEVICE_COMPLIANCE);
            assertThat(event.getTargets())
                    .extracting(t -> t.getKind())
                    .containsExactly(TargetKind.ALL_DEVICES, TargetKind.DEVICE_GROUP);
        }
    }

    @Test
    void conditionalAccessRulesAreCrudWithVersions() {
        Fixtures f = new Fixtures();
        String rule =
                """
                {"name": "Everything needs a compliant device", "resources": ["*"], "require": ["COMPLIANT_DEVICE"],
                 "targets": [{"kind": "ALL_USERS"}]}
                """;
        String id = given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(rule)
                .post("/api/v1/conditional-access-rules")
                .then()
                .statusCode(201)
                .body("version", equalTo(1))
                .body("operator", equalTo("REQUIRE_ALL"))
                .body("enabled", equalTo(true))
                .extract()
                .path("id");
        given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(rule.replace("\"COMPLIANT_DEVICE\"", "\"APP_PROTECTION_POLICY\""))
                .put("/api/v1/conditional-access-rules/" + id)
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("require[0]", equalTo("APP_PROTECTION_POLICY"));
        given().auth()
                .oauth2(f.admin())
                .delete("/api/v1/conditional-access-rules/" + id)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(f.admin())
                .get("/api/v1/conditional-access-rules")
                .then()
                .body("$", hasSize(0));
    }

    @Test
    void policiesNeedAnAdminToken() {
        Fixtures f = new Fixtures();
        given().auth()
                .oauth2(f.user("u"))
                .get("/api/v1/app-protection-policies")
                .then()
                .statusCode(403);
        given().get("/api/v1/compliance-policies").then().statusCode(401);
    }

    private static io.restassured.response.Response put(Fixtures f, String id, String body) {
        return given().auth()
                .oauth2(f.admin())
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/v1/app-protection-policies/" + id);
    }
}
