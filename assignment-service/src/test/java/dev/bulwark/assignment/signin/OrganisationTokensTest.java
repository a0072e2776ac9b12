package dev.bulwark.assignment.signin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

/**
 * People's tokens from the organisation's OIDC provider ({@link OrganisationProvider}, configured only through
 * {@code bulwark.oidc.*}) in a running service: the mapped tenant and roles decide what the caller may do, exactly as
 * for the local key pair's tokens, and a key rotation at the provider is picked up without a restart.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
@WithTestResource(OrganisationProvider.class)
class OrganisationTokensTest {

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    private static KeyPair key(String kid) throws Exception {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        return new KeyPair(
                rsa.generatePublic(
                        new X509EncodedKeySpec(Base64.getDecoder().decode(config("test.oidc.public." + kid)))),
                rsa.generatePrivate(
                        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(config("test.oidc.key." + kid)))));
    }

    private static String token(String kid, String issuer, String audience, String user, String... roles)
            throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience, "account");
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("preferred_username", user);
        claims.setClaim("realm_access", Map.of("roles", List.of(roles)));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(kid);
        jws.setKey(key(kid).getPrivate());
        return jws.getCompactSerialization();
    }

    private static String issuer() {
        return config("bulwark.oidc.acme.issuer");
    }

    private static Map<String, Object> app(String appId) {
        return Map.of(
                "appId", appId,
                "name", "Outlook",
                "platform", "ANDROID",
                "publisher", "Contoso",
                "storeRef", "com.contoso.outlook",
                "version", "1.0.0",
                "protectedApp", true);
    }

    @Test
    void anAdminOfTheProviderActsInTheIssuersTenant() throws Exception {
        String admin = token("kc-1", issuer(), OrganisationProvider.AUDIENCE, "ada", "bulwark-admins");
        String appId = "app-" + UUID.randomUUID();
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(app(appId))
                .post("/api/v1/apps")
                .then()
                .statusCode(201);

        given().auth()
                .oauth2(TestTokens.admin(OrganisationProvider.TENANT))
                .get("/api/v1/apps/" + appId)
                .then()
                .statusCode(200)
                .body("appId", equalTo(appId));
        given().auth()
                .oauth2(TestTokens.admin("another-tenant"))
                .get("/api/v1/apps/" + appId)
                .then()
                .statusCode(404);
    }

    @Test
    void aProviderUserWithoutTheMappedAdminGroupIsForbidden() throws Exception {
        String user = token("kc-1", issuer(), OrganisationProvider.AUDIENCE, "bob", "bulwark-users", "admin");
        given().auth().oauth2(user).get("/api/v1/apps").then().statusCode(403);
    }

    @Test
    void aTokenForAnotherAudienceOrFromAnIssuerNotConfiguredIsUnauthorised() throws Exception {
        given().auth()
                .oauth2(token("kc-1", issuer(), "some-other-client", "ada", "bulwark-admins"))
                .get("/api/v1/apps")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(token(
                        "kc-1",
                        issuer().replace("/acme", "/other"),
                        OrganisationProvider.AUDIENCE,
                        "ada",
                        "bulwark-admins"))
                .get("/api/v1/apps")
                .then()
                .statusCode(401);
    }

    @Test
    void aKeyRotationAtTheProviderIsPickedUpWithoutRestart() throws Exception {
        Path jwks = Path.of(config("test.oidc.jwks-file"));
        String before = token("kc-1", issuer(), OrganisationProvider.AUDIENCE, "ada", "bulwark-admins");
        given().auth().oauth2(before).get("/api/v1/apps").then().statusCode(200);
        try {
            OrganisationProvider.serve(jwks, Map.of("kc-2", key("kc-2")));

            String after = token("kc-2", issuer(), OrganisationProvider.AUDIENCE, "ada", "bulwark-admins");
            given().auth().oauth2(after).get("/api/v1/apps").then().statusCode(200);
            given().auth().oauth2(before).get("/api/v1/apps").then().statusCode(401);
        } finally {
            OrganisationProvider.serve(jwks, Map.of("kc-1", key("kc-1")));
        }
    }

    @Test
    void withAProviderConfiguredTokensAreVerifiedOffTheEventLoop() {
        assertThat(ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.smallrye-jwt.blocking-authentication", Boolean.class))
                .contains(true);
    }
}
