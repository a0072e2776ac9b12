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
        RawHttp.Answer tooLarge = RawHttp.send(
                "localhost",
                io.restassured.RestAssured.port,
                "POST /api/v1/apps HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + admin + "\r\nContent-Length: " + (1_000_000 + 300));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("content-type")).startsWith("application/problem+json");
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
        asAdmin()
                .body(Map.of("intent", "AVAILABLE", "targets", targets))
                .post("/api/v1/apps/wide-assignment/assignments")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
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
}
