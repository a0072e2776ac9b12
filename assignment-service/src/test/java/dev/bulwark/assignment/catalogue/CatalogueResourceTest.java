package dev.bulwark.assignment.catalogue;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class CatalogueResourceTest {

    private static Map<String, Object> app(String appId, String platform) {
        return Map.of(
                "version",
                "1.0.0",
                "description",
                "Mail and calendar.",
                "appId",
                appId,
                "name",
                "Outlook",
                "platform",
                platform,
                "publisher",
                "Contoso",
                "storeRef",
                "com.contoso.outlook",
                "protectedApp",
                true);
    }

    @Test
    void anAdminRegistersAnAppAndReadsItBack() {
        String tenant = "t-" + UUID.randomUUID();
        String admin = TestTokens.admin(tenant);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app("outlook-android", "ANDROID"))
                .when()
                .post("/api/v1/apps")
                .then()
                .statusCode(201)
                .body("appId", equalTo("outlook-android"))
                .body("protectedApp", equalTo(true));
        given().auth()
                .oauth2(admin)
                .when()
                .get("/api/v1/apps/outlook-android")
                .then()
                .statusCode(200)
                .body("platform", equalTo("ANDROID"));
        given().auth()
                .oauth2(admin)
                .when()
                .get("/api/v1/apps")
                .then()
                .statusCode(200)
                .body("$", hasSize(1));
    }

    @Test
    void publishingANewVersionMakesItCurrentAndTheSameVersionTwiceIsAConflict() {
        String admin = TestTokens.admin("t-" + UUID.randomUUID());
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app("edge", "ANDROID"))
                .post("/api/v1/apps")
                .then()
                .statusCode(201)
                .body("version", equalTo("1.0.0"))
                .body("description", equalTo("Mail and calendar."))
                .body("distribution", equalTo("MANAGED"))
                .body("storeUrl", equalTo("https://play.google.com/store/apps/details?id=com.contoso.outlook"));
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("version", "1.1.0", "releaseNotes", "Dark mode"))
                .post("/api/v1/apps/edge/versions")
                .then()
                .statusCode(201)
                .body("version", equalTo("1.1.0"));
        given().auth().oauth2(admin).get("/api/v1/apps/edge").then().body("version", equalTo("1.1.0"));
        given().auth()
                .oauth2(admin)
                .get("/api/v1/apps/edge/versions")
                .then()
                .body("version", org.hamcrest.Matchers.contains("1.0.0", "1.1.0"));
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("version", "1.1.0"))
                .post("/api/v1/apps/edge/versions")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("version", "bad version!"))
                .post("/api/v1/apps/edge/versions")
                .then()
                .statusCode(400)
                .body("errors[0].field", containsString("version"));
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("version", "2.0"))
                .post("/api/v1/apps/nope/versions")
                .then()
                .statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "2024_r1", "1.2.3.4.5", "v"})
    void aVersionOutsideTheSharedGrammarIsRefusedAtRegistrationAndAtPublishing(String version) {
        String tenant = "t-" + UUID.randomUUID();
        String admin = TestTokens.admin(tenant);
        Map<String, Object> app = new HashMap<>(app("mail", "IOS"));
        app.put("version", version);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app)
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("version"));
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app("mail", "IOS"))
                .post("/api/v1/apps")
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("version", version))
                .post("/api/v1/apps/mail/versions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("version"));
    }

    @Test
    void aVersionWithAPreReleaseOrBuildSuffixIsPublishedAsADeviceReportsIt() {
        String tenant = "t-" + UUID.randomUUID();
        String admin = TestTokens.admin(tenant);
        Map<String, Object> app = new HashMap<>(app("mail", "IOS"));
        app.put("version", "5.2.1-beta");
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app)
                .post("/api/v1/apps")
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("version", "2.0.0+build7"))
                .post("/api/v1/apps/mail/versions")
                .then()
                .statusCode(201)
                .body("version", equalTo("2.0.0+build7"));
    }

    @Test
    void registeringTheSameAppTwiceIsAConflictAndKeepsTheFirst() {
        String admin = TestTokens.admin("t-" + UUID.randomUUID());
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app("teams", "IOS"))
                .post("/api/v1/apps")
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app("teams", "ANDROID"))
                .post("/api/v1/apps")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409));
        given().auth().oauth2(admin).get("/api/v1/apps/teams").then().body("platform", equalTo("IOS"));
    }

    @Test
    void anUnknownPlatformIsRefusedWithAProblemNamingTheFieldAndNothingIsWritten() {
        String admin = TestTokens.admin("t-" + UUID.randomUUID());
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app("word", "BLACKBERRY"))
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("platform"))
                .body("detail", containsString("ANDROID"));
        given().auth().oauth2(admin).get("/api/v1/apps").then().body("$", hasSize(0));
    }

    @Test
    void aMissingFieldAndMalformedJsonAreProblemsNotServerErrors() {
        String admin = TestTokens.admin("t-" + UUID.randomUUID());
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(Map.of("appId", "x", "platform", "IOS", "storeRef", "s"))
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"appId\": ")
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void callsWithoutATokenOrWithTheWrongRoleAreRefused() {
        given().get("/api/v1/apps").then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.user("t-" + UUID.randomUUID(), "alice"))
                .get("/api/v1/apps")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void oneTenantNeverSeesAnotherTenantsApps() {
        String tenantA = TestTokens.admin("a-" + UUID.randomUUID());
        String tenantB = TestTokens.admin("b-" + UUID.randomUUID());
        given().auth()
                .oauth2(tenantA)
                .contentType("application/json")
                .body(app("secret-app", "IOS"))
                .post("/api/v1/apps")
                .then()
                .statusCode(201);
        given().auth().oauth2(tenantB).get("/api/v1/apps/secret-app").then().statusCode(404);
        given().auth().oauth2(tenantB).get("/api/v1/apps").then().body("$", hasSize(0));
    }

    @Test
    void healthIsReadyOnRealKafkaAndPostgresAndTheOpenApiDocumentIsServed() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka-cluster", "Database connections health check"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/apps"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("bulwark_outbox_published"));
    }
}
