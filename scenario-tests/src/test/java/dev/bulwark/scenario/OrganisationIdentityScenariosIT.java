package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.IdentityProvider;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.idp.DemoRealm;
import dev.bulwark.idp.KeycloakServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack run against a real identity provider ({@code ./bulwark up --idp keycloak}): Keycloak from Maven Central,
 * its realm imported from the repository, and every service verifying people's tokens from Keycloak's discovery and
 * JWKS. A separate class, so the rest of the scenarios do not pay Keycloak's start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrganisationIdentityScenariosIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIL = "com.contoso.mail";

    @TempDir
    static Path dataDir;

    private static RunningStack stack;
    private static KeycloakServer keycloak;
    private static ScenarioTenant demo;
    private static String registration;

    @BeforeAll
    static void startStack() {
        stack = ScenarioStack.start(
                dataDir,
                EnumSet.of(BulwarkService.DEVICE_REGISTRY, BulwarkService.POLICY_SERVICE, BulwarkService.GATEWAY),
                config -> config.withIdentityProvider(IdentityProvider.KEYCLOAK));
        keycloak = stack.keycloak().orElseThrow();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void anAdminSignedInAtKeycloakManagesTheTenantTheirTokenNames() {
        String ada = password("ada");
        assertThat(claims(ada).path("iss").asText()).isEqualTo(keycloak.issuer());
        demo = new ScenarioTenant(stack, DemoRealm.TENANT, ada);

        demo.createUser("alice");
        demo.createUser("bob");
        demo.licence("alice");
        demo.createUserGroup("sales", "alice");
        String policyId = demo.createAppProtectionPolicy(
                """
                {"name": "Mail PIN", "platform": "ANDROID", "appIds": ["%s"],
                 "settings": {"pinRequired": true, "pinCharacterSet": "NUMERIC", "pinMinimumLength": 6},
                 "targets": [{"kind": "USER_GROUP", "groupId": "sales"}]}
                """
                        .formatted(MAIL));
        assertThat(policyId).isNotBlank();

        // a person without the admin role at Keycloak is not an admin here
        given().auth()
                .oauth2(password("bob"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", "mallory", "displayName", "Mallory", "email", "mallory@example.com"))
                .post(demo.registry() + "/api/v1/users")
                .then()
                .statusCode(403);
    }

    @Test
    @Order(2)
    void aUserSignedInAtKeycloakSignsInToAProtectedAppAndGetsThePinStep() {
        String alice = password("alice");
        registration = demo.registerApp(alice, MAIL, "phone-alice", "5.1");
        Response answer = demo.awaitSignIn(alice, MAIL, registration, "PROTECTED");
        assertThat(answer.<String>path("userId")).isEqualTo("alice");
        assertThat(answer.<String>path("nextStep")).isEqualTo("SET_PIN");
        assertThat(answer.<Integer>path("policy.pinMinimumLength")).isEqualTo(6);
    }

    @Test
    @Order(3)
    void aTokenOfAnotherRealmIsRefused() {
        String other = masterAdminToken();
        assertThat(claims(other).path("iss").asText()).isEqualTo(keycloak.issuer("master"));

        demo.signIn(other, MAIL, registration).then().statusCode(401);
        given().auth()
                .oauth2(other)
                .get(demo.registry() + "/api/v1/users")
                .then()
                .statusCode(401);
    }

    @Test
    @Order(4)
    void aKeyRotatedAtKeycloakIsPickedUpWithoutARestart() throws Exception {
        String before = header(password("alice")).path("kid").asText();
        String admin = masterAdminToken();
        String realmId = given().auth()
                .oauth2(admin)
                .get(keycloak.baseUrl() + "/admin/realms/" + DemoRealm.NAME)
                .then()
                .statusCode(200)
                .extract()
                .<String>path("id");
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "rsa-rotated-" + System.nanoTime(),
                        "providerId",
                        "rsa-generated",
                        "providerType",
                        "org.keycloak.keys.KeyProvider",
                        "parentId",
                        realmId,
                        "config",
                        Map.of(
                                "priority", List.of("1000"),
                                "enabled", List.of("true"),
                                "active", List.of("true"),
                                "algorithm", List.of("RS256"),
                                "keySize", List.of("2048"))))
                .post(keycloak.baseUrl() + "/admin/realms/" + DemoRealm.NAME + "/components")
                .then()
                .statusCode(201);

        String alice = password("alice");
        assertThat(header(alice).path("kid").asText()).isNotEqualTo(before);
        Response answer = demo.signIn(alice, MAIL, registration);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.<String>path("nextStep")).isEqualTo("SET_PIN");
    }

    /** An access token of a demo person, by the password grant of the realm's public client. */
    private static String password(String username) {
        DemoRealm.DemoUser user = DemoRealm.USERS.stream()
                .filter(u -> u.username().equals(username))
                .findFirst()
                .orElseThrow();
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", DemoRealm.CLI_CLIENT)
                .formParam("username", user.username())
                .formParam("password", user.password())
                .formParam("scope", "openid")
                .post(keycloak.tokenEndpoint())
                .then()
                .statusCode(200)
                .extract()
                .<String>path("access_token");
    }

    /** A token of Keycloak's master realm (the stack's admin client): genuine, but of a realm Bulwark does not trust. */
    private static String masterAdminToken() {
        KeycloakServer.AdminClient master = keycloak.adminClient();
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", master.clientId())
                .formParam("client_secret", master.secret())
                .post(keycloak.issuer("master") + "/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .<String>path("access_token");
    }

    private static JsonNode claims(String jwt) {
        return part(jwt, 1);
    }

    private static JsonNode header(String jwt) {
        return part(jwt, 0);
    }

    private static JsonNode part(String jwt, int index) {
        try {
            return JSON.readTree(
                    new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not a JWT", e);
        }
    }
}
