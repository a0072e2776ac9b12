package dev.bulwark.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of upstreams that echo what they receive: each path reaches its owner with the token, query and
 * body untouched, and what the gateway refuses itself is refused with problem+json.
 */
@QuarkusTest
@WithTestResource(EchoUpstreams.class)
class GatewayRoutingTest {

    private static final String TOKEN = "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl";

    @Test
    void aRequestReachesTheServiceThatOwnsItsPathWithTheTokenAndQueryUntouched() {
        given().urlEncodingEnabled(false)
                .header("Authorization", TOKEN)
                .get("/api/v1/devices/d-1/configuration-profiles?limit=5&cursor=a%20b")
                .then()
                .statusCode(200)
                .header(GatewayRoutes.UPSTREAM_HEADER, "policy-service")
                .body("service", equalTo("policy-service"))
                .body("uri", equalTo("/api/v1/devices/d-1/configuration-profiles?limit=5&cursor=a%20b"))
                .body("authorization", equalTo(TOKEN));

        given().header("Authorization", TOKEN)
                .get("/api/v1/devices/d-1")
                .then()
                .statusCode(200)
                .header(GatewayRoutes.UPSTREAM_HEADER, "device-registry")
                .body("service", equalTo("device-registry"));

        given().get("/portal").then().statusCode(200).body("service", equalTo("assignment-service"));
        given().get("/.well-known/jwks.json").then().statusCode(200).body("service", equalTo("device-registry"));
    }

    @Test
    void aRequestBodyAndTheServicesOwnStatusPassThrough() {
        String body = "{\"osVersion\":\"17.4\",\"jailbroken\":false}";
        given().header("Authorization", TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/devices/d-1/state")
                .then()
                .statusCode(200)
                .body("method", equalTo("POST"))
                .body("body", equalTo(body));
    }

    @Test
    void aPathNoServiceOwnsIsRefusedWithAProblemNamingIt() {
        given().get("/api/v1/nothing-here")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("detail", containsString("/api/v1/nothing-here"));
    }

    @Test
    void aPathThatIsNotNormalisedIsRefusedRatherThanRoutedByItsFirstSegments() {
        // routed by its text this would go to compliance-service; the service would see /api/v1/devices/d-1
        given().urlEncodingEnabled(false)
                .get("/api/v1/subjects/../devices/d-1")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("normalised"));
        given().urlEncodingEnabled(false)
                .get("/api/v1/devices/d-1%2Fapps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void anAdminPathEveryServiceHasIsReachedPerServiceUnderItsName() {
        given().header("Authorization", TOKEN)
                .post("/services/policy-service/api/v1/admin/dead-letters/redrive?channel=devices")
                .then()
                .statusCode(200)
                .header(GatewayRoutes.UPSTREAM_HEADER, "policy-service")
                .body("uri", equalTo("/api/v1/admin/dead-letters/redrive?channel=devices"))
                .body("authorization", equalTo(TOKEN));
        given().get("/api/v1/admin/dead-letters").then().statusCode(404).contentType("application/problem+json");
        given().get("/services/nobody/api/v1/admin/dead-letters")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        // climbing out of the admin paths reaches no service: the router sees /q/metrics, which the gateway does not
        // pass on
        given().urlEncodingEnabled(false)
                .get("/services/policy-service/api/v1/admin/../../../../q/metrics")
                .then()
                .statusCode(anyOf(equalTo(400), equalTo(404)))
                .header(GatewayRoutes.UPSTREAM_HEADER, nullValue());
    }

    @Test
    void aServiceThatDoesNotAnswerGivesAProblemNamingIt() {
        given().header("Authorization", TOKEN)
                .get("/api/v1/subjects/s-1")
                .then()
                .statusCode(502)
                .contentType("application/problem+json")
                .header(GatewayRoutes.UPSTREAM_HEADER, EchoUpstreams.DOWN.moduleName())
                .body("detail", containsString(EchoUpstreams.DOWN.moduleName()));
    }

    @Test
    void eachServicesOpenApiDocumentIsLinkedFromTheFrontPage() {
        given().get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("href=\"/openapi/policy-service\""))
                .body(containsString("href=\"/openapi/device-registry\""));
        given().get("/openapi/assignment-service")
                .then()
                .statusCode(200)
                .body("service", equalTo("assignment-service"))
                .body("uri", equalTo("/q/openapi?format=json"));
        given().get("/openapi/nobody").then().statusCode(404).contentType("application/problem+json");
    }
}
