package dev.bulwark.policy.flow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The limits of the shared convention (service-kit Limits) show in the OpenAPI document as maxLength / maxItems. */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class OpenApiLimitsTest {

    @Test
    void requestStringsListsListItemsAndPathIdsCarryTheirMaximum() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("components.schemas.AppProtectionPolicyRequest.properties.name.maxLength", equalTo(200))
                .body("components.schemas.AppProtectionPolicyRequest.properties.appIds.maxItems", equalTo(200))
                .body("components.schemas.AppProtectionPolicyRequest.properties.appIds.items.maxLength", equalTo(128))
                .body("components.schemas.Target.properties.groupId.maxLength", equalTo(128))
                .body("paths.'/api/v1/templates/{id}'.get.parameters[0].schema.maxLength", equalTo(128))
                .body("components.schemas.VersionLevels.properties.warn.maxLength", equalTo(64))
                .body("components.schemas.ProfileSettings.properties.ssid.maxLength", equalTo(32))
                .body("components.schemas.ProfileSettings.properties.username.maxLength", equalTo(320));
    }
}
