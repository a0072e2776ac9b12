package dev.bulwark.registry.credentials;

import static dev.bulwark.registry.Registry.QUIET;
import static dev.bulwark.registry.Registry.enrollment;
import static dev.bulwark.registry.Registry.state;
import static dev.bulwark.registry.credentials.TokenParts.claims;
import static dev.bulwark.registry.credentials.TokenParts.header;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.kit.security.CachingTokenVerifier;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class DeviceCredentialTest {

    @Inject
    DeviceCredentialIssuer issuer;

    @Inject
    CachingTokenVerifier verifier;

    /** The user's own enrollment, as the enrollment app does it: the answer carries the credential. */
    private static JsonPath enroll(Registry tenant, String userId, String hardwareId, int status) {
        return tenant.asUser(userId)
                .body(enrollment(userId, "ANDROID", "14.1", hardwareId))
                .post("/api/v1/devices")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    @Test
    void anEnrollmentAnswersWithACredentialTheDeviceChecksInAndReadsItselfWith() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("alice");
        JsonPath enrolled = enroll(tenant, userId, "hw-" + UUID.randomUUID(), 201);
        String deviceId = enrolled.getString("deviceId");
        String token = enrolled.getString("credential.token");
        Instant expiresAt = Instant.parse(enrolled.getString("credential.expiresAt"));
        assertThat(expiresAt)
                .isBetween(
                        Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        assertThat(claims(token))
                .containsEntry("sub", deviceId)
                .containsEntry("device_id", deviceId)
                .containsEntry("tenant_id", tenant.tenantId)
                .containsEntry("groups", List.of("device"));
        assertThat(header(token)).containsEntry("alg", "ES256");

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            long verified = verifier.verifications();
            Registry.as(token)
                    .body(state("14.2", true, true, false))
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(200)
                    .body("applied", equalTo(true))
                    .body("credential", nullValue()); // a fresh credential is not renewed
            assertThat(verifier.verifications())
                    .as("signed here: its first use is not verified again")
                    .isEqualTo(verified);
            probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), Registry.EVENT_TIMEOUT);
        }
        Registry.as(token)
                .get("/api/v1/devices/" + deviceId)
                .then()
                .statusCode(200)
                .body("deviceId", equalTo(deviceId))
                .body("credential", nullValue());

        // a device credential acts for its device only
        String other = tenant.device(userId);
        Registry.as(token).get("/api/v1/devices/" + other).then().statusCode(403);
        Registry.as(token)
                .body(state("14.2", true, true, false))
                .post("/api/v1/devices/" + other + "/state")
                .then()
                .statusCode(403);
        Registry.as(token)
                .body(enrollment(userId, "ANDROID", "14.1", "hw-" + UUID.randomUUID()))
                .post("/api/v1/devices")
                .then()
                .statusCode(403);
        Registry.as(token).get("/api/v1/users").then().statusCode(403);
    }

    @Test
    void theKeysCredentialsAreSignedWithArePublishedAsAJwksWithoutAToken() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("bob");
        String token = enroll(tenant, userId, "hw-" + UUID.randomUUID(), 201).getString("credential.token");
        // as the other services fetch it (Accept: application/json)
        JsonPath jwks = given().accept("application/json")
                .get("/.well-known/jwks.json")
                .then()
                .statusCode(200)
                .header("Cache-Control", containsString("max-age"))
                .body("keys", hasSize(1))
                .body("keys[0].kty", equalTo("EC"))
                .body("keys[0].crv", equalTo("P-256"))
                .body("keys[0].alg", equalTo("ES256"))
                .body("keys[0].d", nullValue())
                .extract()
                .jsonPath();
        assertThat(jwks.getString("keys[0].kid")).isEqualTo(header(token).get("kid"));
    }

    @Test
    void repeatingAnEnrollmentGivesTheSameDeviceAFreshCredentialAndBothWork() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("carol");
        String hardware = "hw-" + UUID.randomUUID();
        JsonPath first = enroll(tenant, userId, hardware, 201);
        JsonPath again = enroll(tenant, userId, hardware, 200);
        assertThat(again.getString("deviceId")).isEqualTo(first.getString("deviceId"));
        assertThat(again.getString("credential.token")).isNotEqualTo(first.getString("credential.token"));
        for (String token : List.of(first.getString("credential.token"), again.getString("credential.token"))) {
            Registry.as(token)
                    .get("/api/v1/devices/" + first.getString("deviceId"))
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void aRetiredDevicesCredentialStopsWorkingAtOnceAndItsReportChangesNothing() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("dave");
        JsonPath enrolled = enroll(tenant, userId, "hw-" + UUID.randomUUID(), 201);
        String deviceId = enrolled.getString("deviceId");
        String token = enrolled.getString("credential.token");
        Registry.as(token)
                .body(state("14.2", true, true, false))
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(200);

        tenant.asUser(userId).delete("/api/v1/devices/" + deviceId).then().statusCode(204);

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            Registry.as(token)
                    .body(state("14.3", true, true, false))
                    .post("/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .body("detail", containsString("revoked"));
            Registry.as(token)
                    .get("/api/v1/devices/" + deviceId)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
            probe.assertNone(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), QUIET);
        }
        // an admin reporting for a retired device is told why (409), as before
        tenant.asAdmin()
                .body(state("14.3", true, true, false))
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(409);
        tenant.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .statusCode(200)
                .body("osVersion", equalTo("14.2"));
    }

    @Test
    void aCheckInWithLessThanHalfTheCredentialsLifeLeftIsAnsweredWithANewOne() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("erin");
        String deviceId = enroll(tenant, userId, "hw-" + UUID.randomUUID(), 201).getString("deviceId");
        String ageing =
                issuer.issue(tenant.tenantId, deviceId, Duration.ofHours(11)).token();

        JsonPath answer = Registry.as(ageing)
                .body(state("14.2", true, true, false))
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(200)
                .body("credential.token", notNullValue())
                .extract()
                .jsonPath();
        String renewed = answer.getString("credential.token");
        assertThat(renewed).isNotEqualTo(ageing);
        assertThat(Instant.parse(answer.getString("credential.expiresAt")))
                .isAfter(Instant.now().plus(Duration.ofHours(23)));
        Registry.as(renewed)
                .body(state("14.2", true, true, false))
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(200)
                .body("credential", nullValue());
    }

    @Test
    void anExpiredTamperedOrForeignCredentialIsRefused() throws Exception {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("frank");
        String token = enroll(tenant, userId, "hw-" + UUID.randomUUID(), 201).getString("credential.token");
        String deviceId = (String) claims(token).get("device_id");

        String expired =
                issuer.issue(tenant.tenantId, deviceId, Duration.ofMinutes(-10)).token();
        Registry.as(expired).get("/api/v1/devices/" + deviceId).then().statusCode(401);

        // the payload changed to grant the admin role: the signature no longer fits
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("[\"device\"]", "[\"device\",\"admin\"]");
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        Registry.as(tampered).get("/api/v1/users").then().statusCode(401);
        Registry.as(tampered).get("/api/v1/devices/" + deviceId).then().statusCode(401);

        // signed by another P-256 key under the real key's kid
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        JwtClaims claims = JwtClaims.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        claims.setExpirationTime(
                NumericDate.fromSeconds(Instant.now().plusSeconds(3600).getEpochSecond()));
        JsonWebSignature forged = new JsonWebSignature();
        forged.setPayload(claims.toJson());
        forged.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        forged.setKeyIdHeaderValue((String) header(token).get("kid"));
        forged.setKey(generator.generateKeyPair().getPrivate());
        Registry.as(forged.getCompactSerialization())
                .get("/api/v1/devices/" + deviceId)
                .then()
                .statusCode(401);

        // the genuine credential still works
        Registry.as(token).get("/api/v1/devices/" + deviceId).then().statusCode(200);
    }
}
