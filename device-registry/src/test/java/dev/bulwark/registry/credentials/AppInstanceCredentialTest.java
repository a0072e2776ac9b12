package dev.bulwark.registry.credentials;

import static dev.bulwark.registry.credentials.TokenParts.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A protected app (MAM) checks in with the credential its registration answered with; a successful selective wipe
 * revokes every credential it held, and registering again gives one of the next generation.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class AppInstanceCredentialTest {

    private static final String MAIL = "com.contoso.mail";

    @Inject
    DeviceCredentialIssuer issuer;

    private static JsonPath register(Registry tenant, String userId, String installationId, int status) {
        return tenant.asUser(userId)
                .body(Registry.appRegistration(MAIL, installationId))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    private static Map<String, Object> state(boolean pinSet, List<Map<String, Object>> wipes) {
        Map<String, Object> body = new HashMap<>();
        body.put("osVersion", "17.5");
        body.put("appVersion", "5.2");
        body.put("pinSet", pinSet);
        body.put("jailbroken", false);
        body.put("selectiveWipeResults", wipes);
        return body;
    }

    private static io.restassured.response.ValidatableResponse checkIn(String token, String id, Map<String, ?> body) {
        return Registry.as(token)
                .body(body)
                .post("/api/v1/app-instances/" + id + "/state")
                .then();
    }

    @Test
    void aRegistrationAnswersWithACredentialForThatInstanceOnly() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("alice");
        JsonPath registered = register(tenant, userId, "phone-1", 201);
        String id = registered.getString("registrationId");
        String token = registered.getString("credential.token");
        assertThat(claims(token))
                .containsEntry("sub", id)
                .containsEntry("registration_id", id)
                .containsEntry("user_id", userId)
                .containsEntry("tenant_id", tenant.tenantId)
                .containsEntry("gen", 0)
                .containsEntry("groups", List.of("app-instance"));

        checkIn(token, id, state(true, List.of()))
                .statusCode(200)
                .body("applied", equalTo(true))
                .body("credential", nullValue());

        String other = register(tenant, userId, "tablet-1", 201).getString("registrationId");
        checkIn(token, other, state(true, List.of())).statusCode(403);
        Registry.as(token).get("/api/v1/app-instances/" + id).then().statusCode(403);
        Registry.as(token)
                .body(Map.of(
                        "appId", MAIL, "installationId", "x", "platform", "IOS", "osVersion", "17", "appVersion", "5"))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(403);
        Registry.as(token).get("/api/v1/devices").then().statusCode(403);
    }

    @Test
    void aSuccessfulSelectiveWipeRevokesTheAppsCredentialsAndARegistrationAfterItGivesAWorkingOne() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("bob");
        JsonPath registered = register(tenant, userId, "phone-2", 201);
        String id = registered.getString("registrationId");
        String before = registered.getString("credential.token");
        String alsoBefore = register(tenant, userId, "phone-2", 200).getString("credential.token");

        // a failed wipe revokes nothing
        checkIn(before, id, state(true, List.of(Map.of("appId", MAIL, "succeeded", false, "reason", "busy"))))
                .statusCode(200);
        checkIn(before, id, state(true, List.of(Map.of("appId", MAIL, "succeeded", true))))
                .statusCode(200)
                .body("credential", nullValue());

        for (String revoked : List.of(before, alsoBefore)) {
            checkIn(revoked, id, state(true, List.of()))
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("detail", containsString("selective wipe"));
        }
        // the user, signed in again, registers the app again: a credential of the next generation
        String after = register(tenant, userId, "phone-2", 200).getString("credential.token");
        assertThat(claims(after)).containsEntry("gen", 1);
        checkIn(after, id, state(true, List.of())).statusCode(200);
        checkIn(before, id, state(true, List.of())).statusCode(401);
    }

    @Test
    void aCheckInWithLessThanHalfTheCredentialsLifeLeftIsAnsweredWithANewOneOfTheSameGeneration() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("carol");
        String id = register(tenant, userId, "phone-3", 201).getString("registrationId");
        String ageing = issuer.issueForAppInstance(tenant.tenantId, id, userId, 0, Duration.ofHours(2))
                .token();

        JsonPath answer = checkIn(ageing, id, state(true, List.of()))
                .statusCode(200)
                .body("credential.token", notNullValue())
                .extract()
                .jsonPath();
        String renewed = answer.getString("credential.token");
        assertThat(claims(renewed)).containsEntry("gen", 0).containsEntry("user_id", userId);
        assertThat(Instant.parse(answer.getString("credential.expiresAt")))
                .isAfter(Instant.now().plus(Duration.ofHours(23)));
        checkIn(renewed, id, state(true, List.of())).statusCode(200).body("credential", nullValue());
    }

    @Test
    void theUsersOwnTokenStillChecksInAndItsWipeRevokesTheAppsCredentialToo() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("dave");
        JsonPath registered = register(tenant, userId, "phone-4", 201);
        String id = registered.getString("registrationId");
        tenant.asUser(userId)
                .body(state(true, List.of(Map.of("appId", MAIL, "succeeded", true))))
                .post("/api/v1/app-instances/" + id + "/state")
                .then()
                .statusCode(200);
        checkIn(registered.getString("credential.token"), id, state(true, List.of()))
                .statusCode(401);
    }
}
