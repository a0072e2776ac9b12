package dev.bulwark.policy.templates;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.kit.security.Roles;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class TemplateResourceTest {

    @Test
    void aTokenWithoutTheTenantClaimIsRefusedWithA403Problem() {
        String tenantless = TestTokens.mint("", "admin-without-tenant", Set.of(Roles.ADMIN), Optional.empty());
        for (String path : new String[] {"/api/v1/templates", "/api/v1/templates/level-3-high"}) {
            given().auth()
                    .oauth2(tenantless)
                    .get(path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", containsString("tenant_id"));
        }
    }

    @Test
    void theThreeDataProtectionLevelsAreOffered() {
        given().auth()
                .oauth2(TestTokens.admin("demo"))
                .get("/api/v1/templates")
                .then()
                .statusCode(200)
                .body("$", hasSize(3))
                .body("level", org.hamcrest.Matchers.contains(1, 2, 3));
    }

    @Test
    void levelThreeBlocksSimplePinsAsksForSixDigitsAndWipesJailbrokenDevices() {
        given().auth()
                .oauth2(TestTokens.admin("demo"))
                .get("/api/v1/templates/level-3-high")
                .then()
                .statusCode(200)
                .body("simplePinBlocked", equalTo(true))
                .body("pinMinimumLength", equalTo(6))
                .body("jailbrokenOrRooted", equalTo("WIPE_DATA"));
    }

    @Test
    void anUnknownTemplateIsAProblem() {
        given().auth()
                .oauth2(TestTokens.admin("demo"))
                .get("/api/v1/templates/level-9")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void templatesNeedAnAdminToken() {
        given().get("/api/v1/templates").then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.device("demo", "d1"))
                .get("/api/v1/templates")
                .then()
                .statusCode(403);
    }

    @Test
    void healthIsReadyAndTheOpenApiDocumentIsServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/templates"));
    }
}
