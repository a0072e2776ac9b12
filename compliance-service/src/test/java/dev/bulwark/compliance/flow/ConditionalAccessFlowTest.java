package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conditional access end to end, on real Kafka and PostgreSQL: rules published by policy-service decide
 * {@code /api/v1/access} per resource for an unmanaged app instance (protected by an app protection policy or not, of
 * a licensed user or not) and a managed device, at once; the subjects whose decision a rule change flips get an
 * ACCESS_CHANGED timeline entry; and a replayed rule event changes nothing.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class ConditionalAccessFlowTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String NOTES = "com.contoso.notes";
    private static final String PIN_NO_REMEDIATION = "{\"pinRequired\": true, \"remediationEnabled\": false}";

    @Inject
    EntityManager entityManager;

    @Test
    void onlyManagedAppsAndPolicyCompliantUsersCanAccessCorporateDataThatARuleProtects() {
        AppInstanceEvents mail = AppInstanceEvents.newMailApp();
        AppInstanceEvents notes = mail.anotherApp(NOTES);
        AppInstanceEvents unlicensed = mail.otherAccount("unlicensed-" + mail.userId);
        DeviceEvents device = DeviceEvents.of(mail.tenantId, mail.userId);
        PolicyEvents tenant = new PolicyEvents(mail.tenantId);
        tenant.licence(mail.userId, true);
        Projections.awaitLicence(entityManager, tenant.tenantId, mail.userId, true);
        PolicyChanged protection =
                tenant.appProtection(PolicyEvents.newId("app-policy"), 1, List.of(allUsers()), PIN_NO_REMEDIATION);
        Projections.awaitPolicy(entityManager, tenant.tenantId, protection.getPolicyId(), 1);

        // a protected mail app, an app no policy protects and a managed device, each compliant: all allowed
        mail.publish(mail.registered("5.2"));
        mail.publish(mail.report("5.2", true, false));
        notes.publish(notes.registered("1.0"));
        notes.publish(notes.report("1.0", false, false));
        device.publish(device.enrolled(Platform.ANDROID, "14.1"));
        device.publish(device.passingReport());
        unlicensed.publish(unlicensed.registered("5.2"));
        unlicensed.publish(unlicensed.report("5.2", true, false));
        for (String subject :
                List.of(mail.registrationId, notes.registrationId, device.deviceId, unlicensed.registrationId)) {
            await().atMost(TIMEOUT).untilAsserted(() -> Api.access(tenant.tenantId, subject, "crm")
                    .statusCode(200)
                    .body("decision", equalTo("ALLOW")));
        }

        // crm needs a compliant managed device: the apps lose crm, the device keeps it, mail is not named
        PolicyChanged crm = tenant.conditionalAccess(
                "rule-crm", 1, List.of(allUsers()), List.of("crm"), List.of("COMPLIANT_DEVICE"), "REQUIRE_ALL", true);
        Projections.awaitPolicy(entityManager, tenant.tenantId, crm.getPolicyId(), 1);
        Api.access(tenant.tenantId, mail.registrationId, "crm")
                .statusCode(200)
                .body("decision", equalTo("DENY"))
                .body("resource", equalTo("crm"))
                .body("state", equalTo("COMPLIANT"))
                .body("deniedBy.ruleId", equalTo("rule-crm"))
                .body("deniedBy.grant", equalTo("COMPLIANT_DEVICE"))
                .body(
                        "message",
                        equalTo("crm needs a compliant managed device — enroll this device in Company Portal and open"
                                + " crm from it."));
        Api.access(tenant.tenantId, device.deviceId, "crm").statusCode(200).body("decision", equalTo("ALLOW"));
        Api.access(tenant.tenantId, mail.registrationId, "mail")
                .statusCode(200)
                .body("decision", equalTo("ALLOW"))
                .body("deniedBy", nullValue());

        // files needs an app that an app protection policy protects: the unprotected app and the device lose files
        PolicyChanged files = tenant.conditionalAccess(
                "rule-files",
                1,
                List.of(allUsers()),
                List.of("files"),
                List.of("APP_PROTECTION_POLICY"),
                "REQUIRE_ALL",
                true);
        Projections.awaitPolicy(entityManager, tenant.tenantId, files.getPolicyId(), 1);
        Api.access(tenant.tenantId, notes.registrationId, "files")
                .statusCode(200)
                .body("decision", equalTo("DENY"))
                .body("deniedBy.ruleId", equalTo("rule-files"))
                .body("deniedBy.grant", equalTo("APP_PROTECTION_POLICY"))
                .body("message", startsWith("files needs an app protected by an app protection policy — "));
        Api.access(tenant.tenantId, mail.registrationId, "files")
                .statusCode(200)
                .body("decision", equalTo("ALLOW"));
        Api.access(tenant.tenantId, device.deviceId, "files").statusCode(200).body("decision", equalTo("DENY"));
        // a rule is not escaped by having no licence: the unlicensed account's mail app is targeted, never protected
        Api.access(tenant.tenantId, unlicensed.registrationId, "files")
                .statusCode(200)
                .body("decision", equalTo("DENY"))
                .body(
                        "message",
                        equalTo("files needs an app protected by an app protection policy — your account has no licence"
                                + " for your organization's app protection; ask your administrator for one."));

        // every flip is on its subject's timeline, with the rule, the resource, before and after
        awaitAccessChanges(tenant.tenantId, mail.registrationId, List.of(change("rule-crm", "crm", "ALLOW", "DENY")));
        awaitAccessChanges(
                tenant.tenantId,
                notes.registrationId,
                List.of(change("rule-crm", "crm", "ALLOW", "DENY"), change("rule-files", "files", "ALLOW", "DENY")));
        awaitAccessChanges(tenant.tenantId, device.deviceId, List.of(change("rule-files", "files", "ALLOW", "DENY")));

        // replay: the same event again, and the same version under a new event id, change nothing; then the rule is
        // switched off, which gives files back (the later event on the rule's partition: once it is seen, so were
        // those)
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.POLICIES, files.getPolicyId(), files);
        tenant.conditionalAccess(
                "rule-files",
                1,
                List.of(allUsers()),
                List.of("files"),
                List.of("APP_PROTECTION_POLICY"),
                "REQUIRE_ALL",
                true);
        tenant.conditionalAccess(
                "rule-files",
                2,
                List.of(allUsers()),
                List.of("files"),
                List.of("APP_PROTECTION_POLICY"),
                "REQUIRE_ALL",
                false);
        Projections.awaitPolicy(entityManager, tenant.tenantId, files.getPolicyId(), 2);
        Api.access(tenant.tenantId, notes.registrationId, "files")
                .statusCode(200)
                .body("decision", equalTo("ALLOW"));
        awaitAccessChanges(
                tenant.tenantId,
                notes.registrationId,
                List.of(
                        change("rule-crm", "crm", "ALLOW", "DENY"),
                        change("rule-files", "files", "ALLOW", "DENY"),
                        change("rule-files", "files", "DENY", "ALLOW")));
        awaitAccessChanges(
                tenant.tenantId,
                device.deviceId,
                List.of(
                        change("rule-files", "files", "ALLOW", "DENY"),
                        change("rule-files", "files", "DENY", "ALLOW")));
        awaitAccessChanges(tenant.tenantId, mail.registrationId, List.of(change("rule-crm", "crm", "ALLOW", "DENY")));
        // a decision only: the apps were never signed out
        Api.subject(tenant.tenantId, notes.registrationId).statusCode(200).body("state", equalTo("COMPLIANT"));
    }

    @Test
    void theOpenApiDocumentShowsTheDenyDecisionAndTheRuleThatDenied() {
        String document = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        assertThat(document).contains("\"DENY\"", "\"deniedBy\"", "\"unmetGrants\"", "\"APP_PROTECTION_POLICY\"");
    }

    private static Map<String, String> change(String ruleId, String resource, String before, String after) {
        return Map.of("ruleId", ruleId, "resource", resource, "before", before, "after", after);
    }

    private static void awaitAccessChanges(String tenantId, String subjectId, List<Map<String, String>> expected) {
        await("access changes of " + subjectId).atMost(TIMEOUT).untilAsserted(() -> {
            List<Map<String, Object>> details = Api.timeline(tenantId, subjectId)
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("entries.findAll { it.kind == 'ACCESS_CHANGED' }.detail");
            assertThat(details)
                    .extracting(d -> change(
                            (String) d.get("ruleId"), (String) d.get("resource"), (String) d.get("before"), (String)
                                    d.get("after")))
                    .containsExactlyInAnyOrderElementsOf(expected);
        });
    }
}
