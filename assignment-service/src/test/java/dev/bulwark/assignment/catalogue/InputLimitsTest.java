package dev.bulwark.assignment.catalogue;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.assignment.Fixtures;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.RawHttp;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every string and list an admin sends has a maximum, and a NUL character is refused naming the field: the catalogue's
 * name, publisher, storeRef and packageRef, an assignment target's groupId, the number of targets, the body's size.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class InputLimitsTest {

    private final String admin = TestTokens.admin("t-" + UUID.randomUUID());
    private final Fixtures fixtures = new Fixtures("unused", admin);

    private RequestSpecification asAdmin() {
        return given().auth().oauth2(admin).contentType("application/json");
    }

    @Test
    void aCatalogueNameOverTheLimitIsRefusedNamingTheFieldAndAMillionCharactersIsOverTheBodyLimit() {
        Map<String, Object> app = fixtures.app("long-name", "MANAGED");
        app.put("name", "n".repeat(201));
        asAdmin()
                .body(app)
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("name"));
        // a million characters: the answer comes from the declared length, before the body is read (and the server
        // closes the connection, so the test declares it and sends no body: writing it raced with that close)
        assertRefusedAsTooLarge("/api/v1/apps", 1_000_000 + 300);
        asAdmin().get("/api/v1/apps").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void publisherStoreRefAndPackageRefOverTheirLimitsAreRefusedNamingEach() {
        Map<String, Object> app = fixtures.app("long-refs", "MANAGED");
        app.put("publisher", "p".repeat(201));
        app.put("storeRef", "s".repeat(2049));
        app.put("packageRef", "k".repeat(2049));
        asAdmin()
                .body(app)
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("publisher"))
                .body("errors.field", hasItem("storeRef"))
                .body("errors.field", hasItem("packageRef"));
    }

    @Test
    void aNulInACatalogueNameIsA400NamingTheFieldNotA500() {
        Map<String, Object> app = fixtures.app("nul-name", "MANAGED");
        app.put("name", "Out\u0000look");
        asAdmin()
                .body(app)
                .post("/api/v1/apps")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void aNulInAPathIdIsA400NamingTheParameterNotA500() {
        asAdmin()
                .urlEncodingEnabled(false)
                .get("/api/v1/apps/out%00look")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("appId"));
    }

    @Test
    void aTargetGroupIdOf5000CharactersIsRefusedNamingTheTarget() {
        fixtures.registerApp("long-group");
        asAdmin()
                .body(Fixtures.assignment("AVAILABLE", Fixtures.target("USER_GROUP", "g".repeat(5_000), false)))
                .post("/api/v1/apps/long-group/assignments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("targets[0].groupId"));
        asAdmin()
                .get("/api/v1/apps/long-group/assignments")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
    }

    @Test
    void anAssignmentOf200TargetsOf6000CharacterGroupIdsIsRefusedAndNothingIsWritten() {
        fixtures.registerApp("wide-assignment");
        List<Map<String, Object>> targets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            targets.add(Fixtures.target("USER_GROUP", i + "-" + "g".repeat(6_000), false));
        }
        String body;
        try {
            body = new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(Map.of("intent", "AVAILABLE", "targets", targets));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // the body's length (1.2 MB) is declared and the body not sent: the server answers from the declared length and
        // closes the connection, which a client still writing the body meets as a broken pipe (seen in CI)
        assertRefusedAsTooLarge(
                "/api/v1/apps/wide-assignment/assignments", body.getBytes(StandardCharsets.UTF_8).length);
        asAdmin()
                .get("/api/v1/apps/wide-assignment/assignments")
                .then()
                .statusCode(200)
                .body("$", hasSize(0));
    }

    @Test
    void moreTargetsThanTheListLimitAreRefusedNamingTheList() {
        fixtures.registerApp("many-targets");
        List<Map<String, Object>> targets = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            targets.add(Fixtures.target("USER_GROUP", "group-" + i, false));
        }
        asAdmin()
                .body(Map.of("intent", "AVAILABLE", "targets", targets))
                .post("/api/v1/apps/many-targets/assignments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("targets"));
    }

    /** A POST declaring {@code length} bytes of JSON is refused with 413 problem+json before its body is read. */
    private void assertRefusedAsTooLarge(String path, int length) {
        RawHttp.Answer answer = RawHttp.send(
                "localhost",
                io.restassured.RestAssured.port,
                "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + admin + "\r\nContent-Length: " + length);
        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.header("content-type")).startsWith("application/problem+json");
    }
}
