package dev.bulwark.registry.directory;

import static dev.bulwark.registry.Registry.EVENT_TIMEOUT;
import static dev.bulwark.registry.Registry.QUIET;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.UserAccountChanged;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class UserResourceTest {

    @Test
    void anAdminAddsUsersWithAndWithoutAnIdAndReadsThemBack() {
        Registry tenant = Registry.newTenant();
        tenant.asAdmin()
                .body(Map.of("userId", "alice", "displayName", "Alice", "email", "alice@contoso.com"))
                .post("/api/v1/users")
                .then()
                .statusCode(201)
                .header("Location", endsWith("/api/v1/users/alice"))
                .body("userId", equalTo("alice"))
                .body("licensed", equalTo(false));
        String generated = tenant.asAdmin()
                .body(Map.of("displayName", "Bob"))
                .post("/api/v1/users")
                .then()
                .statusCode(201)
                .body("userId", matchesPattern("[0-9a-f-]{36}"))
                .extract()
                .path("userId");
        tenant.asAdmin().get("/api/v1/users/alice").then().statusCode(200).body("email", equalTo("alice@contoso.com"));
        tenant.asAdmin()
                .get("/api/v1/users/" + generated)
                .then()
                .statusCode(200)
                .body("displayName", equalTo("Bob"));
    }

    @Test
    void addingAUserIdThatIsTakenIsAConflictAndKeepsTheFirst() {
        Registry tenant = Registry.newTenant();
        tenant.user("carol");
        tenant.asAdmin()
                .body(Map.of("userId", "carol", "displayName", "Someone else"))
                .post("/api/v1/users")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409));
        tenant.asAdmin().get("/api/v1/users/carol").then().body("displayName", equalTo("User carol"));
    }

    @Test
    void badUserInputIsAProblemNamingTheFieldAndNothingIsWritten() {
        Registry tenant = Registry.newTenant();
        tenant.asAdmin()
                .body(Map.of("userId", "dave"))
                .post("/api/v1/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("displayName"));
        tenant.asAdmin()
                .body(Map.of("userId", "dave", "displayName", "Dave", "email", "not-an-address"))
                .post("/api/v1/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("email"));
        tenant.asAdmin()
                .body(Map.of("userId", "has spaces/and slashes", "displayName", "Dave"))
                .post("/api/v1/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("userId"));
        tenant.asAdmin()
                .body("{\"displayName\": ")
                .post("/api/v1/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        tenant.asAdmin().get("/api/v1/users").then().statusCode(200).body("totalItems", equalTo(0));
    }

    @Test
    void licensingAUserPublishesUserLicenseChangedKeyedByTheUser() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("erin");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            tenant.asAdmin()
                    .body(Map.of("licensed", true))
                    .put("/api/v1/users/" + userId + "/licence")
                    .then()
                    .statusCode(200)
                    .body("licensed", equalTo(true))
                    .body("sku", equalTo("BULWARK_E3"));

            TopicProbe.ReceivedEvent received = probe.awaitReceived(
                    UserLicenseChanged.class, e -> e.getTenantId().equals(tenant.tenantId), EVENT_TIMEOUT);
            UserLicenseChanged event = received.event(UserLicenseChanged.class);
            assertThat(received.key()).isEqualTo(userId);
            assertThat(event.getUserId()).isEqualTo(userId);
            assertThat(event.getLicensed()).isTrue();
            assertThat(event.getSku()).isEqualTo("BULWARK_E3");
            assertThat(received.headers())
                    .containsEntry("ce_type", "UserLicenseChanged")
                    .containsEntry("ce_subject", userId)
                    .containsEntry("ce_source", "device-registry")
                    .containsEntry("ce_id", event.getEventId());

            tenant.asAdmin().get("/api/v1/users/" + userId).then().body("licensed", equalTo(true));

            tenant.asAdmin()
                    .body(Map.of("licensed", false))
                    .put("/api/v1/users/" + userId + "/licence")
                    .then()
                    .statusCode(200)
                    .body("licensed", equalTo(false))
                    .body("sku", nullValue());
            UserLicenseChanged revoked = probe.await(
                    UserLicenseChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId) && !e.getLicensed(),
                    EVENT_TIMEOUT);
            assertThat(revoked.getSku()).isNull();
        }
    }

    @Test
    void settingTheLicenceAUserAlreadyHasPublishesNothing() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("frank");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            tenant.asAdmin()
                    .body(Map.of("licensed", false))
                    .put("/api/v1/users/" + userId + "/licence")
                    .then()
                    .statusCode(200)
                    .body("licensed", equalTo(false));
            probe.assertNone(UserLicenseChanged.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
        }
    }

    @Test
    void aBadLicenceChangeIsAProblemAndPublishesNothing() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("gina");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            tenant.asAdmin()
                    .body(Map.of())
                    .put("/api/v1/users/" + userId + "/licence")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("licensed"));
            tenant.asAdmin()
                    .body(Map.of("licensed", "maybe"))
                    .put("/api/v1/users/" + userId + "/licence")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("licensed"));
            tenant.asAdmin()
                    .body(Map.of("licensed", true))
                    .put("/api/v1/users/nobody/licence")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            probe.assertNone(UserLicenseChanged.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
        }
        tenant.asAdmin().get("/api/v1/users/" + userId).then().body("licensed", equalTo(false));
    }

    @Test
    void theUserListIsPagedAndRefusesBadPageParameters() {
        Registry tenant = Registry.newTenant();
        tenant.user("u1");
        tenant.user("u2");
        tenant.user("u3");
        tenant.asAdmin()
                .get("/api/v1/users?size=2")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].userId", equalTo("u1"))
                .body("totalItems", equalTo(3));
        tenant.asAdmin()
                .get("/api/v1/users?page=1&size=2")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].userId", equalTo("u3"));
        tenant.asAdmin()
                .get("/api/v1/users?size=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("size"));
        tenant.asAdmin()
                .get("/api/v1/users?page=abc")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("page"));
    }

    @Test
    void aUserReadsOnlyThemselfAndCannotManageTheDirectory() {
        Registry tenant = Registry.newTenant();
        tenant.user("hank");
        tenant.user("ivy");
        tenant.asUser("hank").get("/api/v1/users/hank").then().statusCode(200);
        tenant.asUser("hank").get("/api/v1/users/ivy").then().statusCode(403).contentType("application/problem+json");
        tenant.asUser("hank").get("/api/v1/users").then().statusCode(403).contentType("application/problem+json");
        tenant.asUser("hank")
                .body(Map.of("displayName", "Mallory"))
                .post("/api/v1/users")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        tenant.asUser("hank")
                .body(Map.of("licensed", true))
                .put("/api/v1/users/hank/licence")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        Registry.as(TestTokens.device(tenant.tenantId, "d1"))
                .get("/api/v1/users/hank")
                .then()
                .statusCode(403);
        given().get("/api/v1/users/hank").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void oneTenantNeverSeesOrChangesAnotherTenantsUsers() {
        Registry tenantA = Registry.newTenant();
        Registry tenantB = Registry.newTenant();
        tenantA.user("shared-name");
        tenantB.asAdmin().get("/api/v1/users/shared-name").then().statusCode(404);
        tenantB.asAdmin().get("/api/v1/users").then().body("totalItems", equalTo(0));
        tenantB.asAdmin()
                .body(Map.of("licensed", true))
                .put("/api/v1/users/shared-name/licence")
                .then()
                .statusCode(404);
        // The same id is free in tenant B: ids are per tenant.
        tenantB.user("shared-name");
        tenantA.asAdmin().get("/api/v1/users/shared-name").then().body("licensed", equalTo(false));
    }

    @Test
    void disablingAndEnablingAnAccountPublishesUserAccountChangedOnlyWhenTheStateChanges() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("jack");
        tenant.user("kate");
        tenant.asAdmin().get("/api/v1/users/" + userId).then().body("enabled", equalTo(true));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            tenant.asAdmin()
                    .body(Map.of("enabled", false))
                    .put("/api/v1/users/" + userId + "/account")
                    .then()
                    .statusCode(200)
                    .body("userId", equalTo(userId))
                    .body("enabled", equalTo(false));
            TopicProbe.ReceivedEvent received = probe.awaitReceived(
                    UserAccountChanged.class, e -> e.getTenantId().equals(tenant.tenantId), EVENT_TIMEOUT);
            UserAccountChanged disabled = received.event(UserAccountChanged.class);
            assertThat(received.key()).isEqualTo(userId);
            assertThat(received.headers())
                    .containsEntry("ce_type", "UserAccountChanged")
                    .containsEntry("ce_subject", userId)
                    .containsEntry("ce_id", disabled.getEventId());
            assertThat(disabled.getUserId()).isEqualTo(userId);
            assertThat(disabled.getEnabled()).isFalse();

            // Disabling a disabled account changes nothing and publishes nothing.
            tenant.asAdmin()
                    .body(Map.of("enabled", false))
                    .put("/api/v1/users/" + userId + "/account")
                    .then()
                    .statusCode(200)
                    .body("enabled", equalTo(false));
            probe.assertNone(
                    UserAccountChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            && !e.getEventId().equals(disabled.getEventId()),
                    QUIET);

            tenant.asAdmin()
                    .queryParam("size", 10)
                    .get("/api/v1/users")
                    .then()
                    .statusCode(200)
                    .body("items.find { it.userId == 'jack' }.enabled", equalTo(false))
                    .body("items.find { it.userId == 'kate' }.enabled", equalTo(true));

            tenant.asAdmin()
                    .body(Map.of("enabled", true))
                    .put("/api/v1/users/" + userId + "/account")
                    .then()
                    .statusCode(200)
                    .body("enabled", equalTo(true));
            UserAccountChanged enabled = probe.await(
                    UserAccountChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId) && e.getEnabled(),
                    EVENT_TIMEOUT);
            assertThat(enabled.getUserId()).isEqualTo(userId);
        }
        tenant.asAdmin().get("/api/v1/users/" + userId).then().body("enabled", equalTo(true));
    }

    @Test
    void aBadAccountChangeIsAProblemAndChangesNothing() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("liam");
        Registry otherTenant = Registry.newTenant();
        String path = "/api/v1/users/" + userId + "/account";
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            tenant.asAdmin()
                    .body(Map.of())
                    .put(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("enabled"));
            tenant.asAdmin()
                    .body(Map.of("enabled", "no"))
                    .put(path)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("enabled"));
            tenant.asAdmin()
                    .body(Map.of("enabled", false))
                    .put("/api/v1/users/nobody/account")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            tenant.asUser(userId)
                    .body(Map.of("enabled", false))
                    .put(path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            otherTenant
                    .asAdmin()
                    .body(Map.of("enabled", false))
                    .put(path)
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            probe.assertNone(
                    UserAccountChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            || e.getTenantId().equals(otherTenant.tenantId),
                    QUIET);
        }
        tenant.asAdmin().get("/api/v1/users/" + userId).then().body("enabled", equalTo(true));
    }
}
