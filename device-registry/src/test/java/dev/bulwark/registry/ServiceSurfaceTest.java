package dev.bulwark.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class ServiceSurfaceTest {

    @Test
    void healthIsReadyOnRealKafkaAndPostgresAndTheOpenApiDocumentListsEveryResource() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/api/v1/users/{userId}/licence"))
                .body(containsString("/api/v1/devices/{deviceId}/state"))
                .body(containsString("/api/v1/app-instances/{registrationId}/state"))
                .body(containsString("/api/v1/groups/{groupId}/members"))
                .body(containsString("/api/v1/imports"))
                .body(containsString("application/x-ndjson"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("bulwark_outbox_published"));
    }

    @Test
    void everyApiCallWithoutATokenIsAProblem401() {
        for (String path :
                new String[] {"/api/v1/users", "/api/v1/devices", "/api/v1/app-instances", "/api/v1/groups"}) {
            given().get(path)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("status", equalTo(401));
        }
        given().contentType("application/json")
                .body("{}")
                .post("/api/v1/devices/x/state")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }
}
