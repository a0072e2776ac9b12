package dev.bulwark.policy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.fuzz.FuzzReport;
import dev.bulwark.testsupport.fuzz.FuzzTarget;
import dev.bulwark.testsupport.fuzz.OpenApiFuzzer;
import dev.bulwark.testsupport.fuzz.OpenApiLimits;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every operation of policy-service's OpenAPI document, sent broken in one place at a time: each must be refused with
 * a 4xx problem+json (naming the field where it can), and none may change a row or publish an event.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class OpenApiFuzzTest {

    private static final String APP_POLICY =
            """
            {"name": "Fuzz protection", "platform": "ANDROID", "appIds": ["com.contoso.mail"],
             "settings": {"pinRequired": true, "pinCharacterSet": "NUMERIC", "pinMinimumLength": 6},
             "targets": [{"kind": "USER_GROUP", "groupId": "fuzz-group", "excluded": false}]}""";
    private static final String COMPLIANCE_POLICY =
            """
            {"name": "Fuzz baseline", "platform": "ANDROID",
             "rules": {"minimumOsVersion": "14", "maximumOsVersion": "16", "encryptionRequired": true,
                       "passcodeRequired": true, "jailbrokenBlocked": true, "requiredApps": ["com.contoso.portal"],
                       "configurationProfilesApplied": false},
             "actions": [{"action": "NOTIFY", "after": "PT0S"}, {"action": "MARK_NON_COMPLIANT", "after": "P1D"},
                         {"action": "BLOCK", "after": "P3D"}],
             "targets": [{"kind": "ALL_DEVICES", "excluded": false}]}""";
    private static final String ACCESS_RULE =
            """
            {"name": "Fuzz rule", "resources": ["crm"], "require": ["COMPLIANT_DEVICE"], "operator": "REQUIRE_ALL",
             "enabled": true, "targets": [{"kind": "USER_GROUP", "groupId": "fuzz-group", "excluded": false}]}""";
    private static final String PROFILE =
            """
            {"name": "Fuzz wifi", "platform": "ANDROID", "type": "WIFI", "settings": {"ssid": "x", "security": "OPEN"},
             "targets": [{"kind": "USER_GROUP", "groupId": "fuzz-group", "excluded": false}]}""";

    @TestHTTPResource("/")
    URI root;

    @Inject
    DataSource dataSource;

    @Test
    void everyOperationRefusesInvalidRequestsWithAProblemAndChangesNothing() {
        String tenant = "tenant-fuzz-" + UUID.randomUUID();
        seedDirectory(tenant);
        String appPolicy = create(tenant, "/api/v1/app-protection-policies", APP_POLICY);
        String compliancePolicy = create(tenant, "/api/v1/compliance-policies", COMPLIANCE_POLICY);
        String rule = create(tenant, "/api/v1/conditional-access-rules", ACCESS_RULE);
        String profile = create(tenant, "/api/v1/configuration-profiles", PROFILE);

        FuzzReport report = OpenApiFuzzer.against(
                        FuzzTarget.builder(base(), dataSource, BulwarkInfra.kafkaBootstrap(), tenant)
                                .value("userId", "fuzz-user")
                                .value("deviceId", "fuzz-device")
                                .value("groupId", "fuzz-group")
                                .value("appId", "com.contoso.mail")
                                .value("registrationId", "fuzz-registration")
                                .value("platform", "ANDROID")
                                .value("templateId", "level-1-basic")
                                .value("PUT /api/v1/app-protection-policies/{id}#id", appPolicy)
                                .value("GET /api/v1/app-protection-policies/{id}#id", appPolicy)
                                .value("DELETE /api/v1/app-protection-policies/{id}#id", appPolicy)
                                .value("PUT /api/v1/compliance-policies/{id}#id", compliancePolicy)
                                .value("GET /api/v1/compliance-policies/{id}#id", compliancePolicy)
                                .value("DELETE /api/v1/compliance-policies/{id}#id", compliancePolicy)
                                .value("PUT /api/v1/conditional-access-rules/{id}#id", rule)
                                .value("GET /api/v1/conditional-access-rules/{id}#id", rule)
                                .value("DELETE /api/v1/conditional-access-rules/{id}#id", rule)
                                .value("PUT /api/v1/configuration-profiles/{id}#id", profile)
                                .value("GET /api/v1/configuration-profiles/{id}#id", profile)
                                .value("DELETE /api/v1/configuration-profiles/{id}#id", profile)
                                .value("GET /api/v1/configuration-profiles/{id}/status#id", profile)
                                .value("GET /api/v1/templates/{id}#id", "level-1-basic")
                                .body("POST /api/v1/app-protection-policies", APP_POLICY)
                                .body("PUT /api/v1/app-protection-policies/{id}", APP_POLICY)
                                .body("POST /api/v1/compliance-policies", COMPLIANCE_POLICY)
                                .body("PUT /api/v1/compliance-policies/{id}", COMPLIANCE_POLICY)
                                .body("POST /api/v1/conditional-access-rules", ACCESS_RULE)
                                .body("PUT /api/v1/conditional-access-rules/{id}", ACCESS_RULE)
                                .body("POST /api/v1/configuration-profiles", PROFILE)
                                .body("PUT /api/v1/configuration-profiles/{id}", PROFILE)
                                .body(
                                        "POST /api/v1/me/sign-in",
                                        """
                                {"appId": "com.contoso.mail", "registrationId": "fuzz-registration",
                                 "platform": "ANDROID"}""")
                                .body(
                                        "POST /api/v1/me/pin-set",
                                        """
                                {"appId": "com.contoso.mail", "registrationId": "fuzz-registration",
                                 "platform": "ANDROID", "pinLength": 6}""")
                                .build())
                .run();

        System.out.println(report.details());
        report.assertClean();
    }

    @Test
    void everyRequestStringAndArrayDeclaresItsMaximum() {
        OpenApiLimits.assertEveryInputBounded(base());
    }

    /** A licensed user in a group, and an enrolled device, as device-registry would publish them. */
    private static void seedDirectory(String tenant) {
        String bootstrap = BulwarkInfra.kafkaBootstrap();
        TestEvents.publish(
                bootstrap,
                Topics.DIRECTORY,
                "fuzz-user",
                UserLicenseChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setUserId("fuzz-user")
                        .setLicensed(true)
                        .setSku("BULWARK_E3")
                        .build());
        TestEvents.publish(
                bootstrap,
                Topics.DIRECTORY,
                "fuzz-user",
                GroupMembershipChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setGroupId("fuzz-group")
                        .setGroupKind(GroupKind.USER)
                        .setMemberId("fuzz-user")
                        .setChange(MembershipChange.ADDED)
                        .build());
        TestEvents.publish(
                bootstrap,
                Topics.DEVICES,
                "fuzz-device",
                DeviceEnrolled.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setDeviceId("fuzz-device")
                        .setUserId("fuzz-user")
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("15")
                        .setHardwareId("hw-fuzz-device")
                        .setModel(null)
                        .setOwnership(Ownership.CORPORATE)
                        .build());
        await("fuzz-device enrolled")
                .atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(TestTokens.admin(tenant))
                                .get("/api/v1/devices/fuzz-device/configuration-profiles")
                                .statusCode()
                        == 200);
    }

    /** Creates through the API; retried while the directory events that make its targets known are consumed. */
    private static String create(String tenant, String path, String body) {
        String[] id = new String[1];
        await("created at " + path).atMost(Duration.ofSeconds(30)).until(() -> {
            var response = given().auth()
                    .oauth2(TestTokens.admin(tenant))
                    .contentType("application/json")
                    .body(body)
                    .post(path);
            id[0] = response.statusCode() == 201 ? response.path("id") : null;
            return id[0] != null;
        });
        return id[0];
    }

    private URI base() {
        return URI.create(root.getScheme() + "://" + root.getHost() + ":" + root.getPort());
    }
}
