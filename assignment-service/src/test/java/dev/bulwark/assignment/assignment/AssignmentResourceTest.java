package dev.bulwark.assignment.assignment;

import static dev.bulwark.assignment.Fixtures.assignment;
import static dev.bulwark.assignment.Fixtures.target;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.assignment.Fixtures;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AssignmentChanged;
import dev.bulwark.events.AssignmentIntent;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.TargetKind;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class AssignmentResourceTest {

    private final String tenant = "t-" + UUID.randomUUID();
    private final String admin = TestTokens.admin(tenant);
    private final Fixtures fx = new Fixtures(tenant, admin);

    @Test
    void createUpdateAndDeletePublishAssignmentChangedWithRisingVersionsKeyedByAppId() {
        fx.registerApp("crm");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.ASSIGNMENTS)) {
            String id = fx.assign(
                    "crm",
                    "AVAILABLE",
                    target("USER_GROUP", "sales", false),
                    target("USER_GROUP", "contractors", true));
            TopicProbe.ReceivedEvent created = probe.awaitReceived(
                    AssignmentChanged.class,
                    e -> e.getAssignmentId().equals(id) && e.getChange() == ChangeKind.CREATED,
                    Duration.ofSeconds(20));
            assertThat(created.key()).isEqualTo("crm");
            AssignmentChanged event = created.event(AssignmentChanged.class);
            assertThat(event.getVersion()).isEqualTo(1);
            assertThat(event.getIntent()).isEqualTo(AssignmentIntent.AVAILABLE);
            assertThat(event.getTenantId()).isEqualTo(tenant);
            assertThat(event.getTargets()).anySatisfy(t -> {
                assertThat(t.getKind()).isEqualTo(TargetKind.USER_GROUP);
                assertThat(t.getGroupId()).isEqualTo("contractors");
                assertThat(t.getExcluded()).isTrue();
            });

            given().auth()
                    .oauth2(admin)
                    .contentType("application/json")
                    .body(assignment("REQUIRED", target("ALL_LICENSED_USERS", null, false)))
                    .put("/api/v1/apps/crm/assignments/" + id)
                    .then()
                    .statusCode(200)
                    .body("version", equalTo(2))
                    .body("intent", equalTo("REQUIRED"));
            AssignmentChanged updated = probe.await(
                    AssignmentChanged.class,
                    e -> e.getAssignmentId().equals(id) && e.getChange() == ChangeKind.UPDATED,
                    Duration.ofSeconds(20));
            assertThat(updated.getVersion()).isEqualTo(2);
            assertThat(updated.getTargets()).singleElement().satisfies(t -> assertThat(t.getKind())
                    .isEqualTo(TargetKind.ALL_USERS));

            given().auth()
                    .oauth2(admin)
                    .delete("/api/v1/apps/crm/assignments/" + id)
                    .then()
                    .statusCode(204);
            AssignmentChanged deleted = probe.await(
                    AssignmentChanged.class,
                    e -> e.getAssignmentId().equals(id) && e.getChange() == ChangeKind.DELETED,
                    Duration.ofSeconds(20));
            assertThat(deleted.getVersion()).isEqualTo(3);
            assertThat(deleted.getIntent()).isEqualTo(AssignmentIntent.REQUIRED);
        }
        given().auth().oauth2(admin).get("/api/v1/apps/crm/assignments").then().body("$", hasSize(0));
    }

    @Test
    void oneGroupCarriesOneIntentPerApp() {
        fx.registerApp("notes");
        fx.assign("notes", "AVAILABLE", target("USER_GROUP", "sales", false));
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(assignment("REQUIRED", target("USER_GROUP", "sales", false)))
                .post("/api/v1/apps/notes/assignments")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("one group carries one intent per app"));
        // the same group may be excluded elsewhere, and another app may use it with another intent
        fx.assign("notes", "REQUIRED", target("ALL_LICENSED_USERS", null, false), target("USER_GROUP", "sales", true));
        fx.registerApp("notes2");
        fx.assign("notes2", "REQUIRED", target("USER_GROUP", "sales", false));
        given().auth()
                .oauth2(admin)
                .get("/api/v1/apps/notes/assignments")
                .then()
                .body("$", hasSize(2));
    }

    @Test
    void requiredOrUninstallThatCouldOnlyEverActOnUnmanagedDevicesIsRefusedAndNothingIsWritten() throws Exception {
        fx.registerApp("byod-only", "STORE_LINK_ONLY");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.ASSIGNMENTS)) {
            for (String intent : new String[] {"REQUIRED", "UNINSTALL"}) {
                given().auth()
                        .oauth2(admin)
                        .contentType("application/json")
                        .body(assignment(intent, target("ALL_LICENSED_USERS", null, false)))
                        .post("/api/v1/apps/byod-only/assignments")
                        .then()
                        .statusCode(422)
                        .contentType("application/problem+json")
                        .body("errors[0].field", equalTo("intent"))
                        .body("detail", containsString("unmanaged devices"));
            }
            given().auth()
                    .oauth2(admin)
                    .contentType("application/json")
                    .body(assignment("AVAILABLE", target("DEVICE_GROUP", "kiosks", false)))
                    .post("/api/v1/apps/byod-only/assignments")
                    .then()
                    .statusCode(422)
                    .body("errors[0].field", equalTo("targets"))
                    .body("detail", containsString("managed devices only"));
            probe.assertNone(AssignmentChanged.class, e -> e.getTenantId().equals(tenant), Duration.ofSeconds(2));
        }
        given().auth()
                .oauth2(admin)
                .get("/api/v1/apps/byod-only/assignments")
                .then()
                .body("$", hasSize(0));
        // Available to users is the one thing such an app can be
        fx.assign("byod-only", "AVAILABLE", target("ALL_LICENSED_USERS", null, false));
    }

    @Test
    void badTargetsAreProblemsNotServerErrors() {
        fx.registerApp("maps");
        Object[][] cases = {
            {assignment("REQUIRED", target("USER_GROUP", null, false)), "targets[0].groupId"},
            {assignment("REQUIRED", target("ALL_DEVICES", "x", false)), "targets[0].groupId"},
            {assignment("REQUIRED", target("ALL_DEVICES", null, true)), "targets[0].excluded"},
            {assignment("REQUIRED", target("USER_GROUP", "g", true)), "targets"},
            {assignment("REQUIRED", target("USER_GROUP", "g", false), target("USER_GROUP", "g", true)), "targets"},
        };
        for (Object[] c : cases) {
            given().auth()
                    .oauth2(admin)
                    .contentType("application/json")
                    .body(c[0])
                    .post("/api/v1/apps/maps/assignments")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo(c[1]));
        }
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body("{\"intent\":\"SOMETIMES\",\"targets\":[{\"kind\":\"ALL_DEVICES\"}]}")
                .post("/api/v1/apps/maps/assignments")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(admin)
                .contentType("application/json")
                .body(assignment("REQUIRED", target("ALL_DEVICES", null, false)))
                .post("/api/v1/apps/unknown/assignments")
                .then()
                .statusCode(404);
        given().auth().oauth2(admin).get("/api/v1/apps/maps/assignments").then().body("$", hasSize(0));
        given().auth()
                .oauth2(TestTokens.user(tenant, "alice"))
                .get("/api/v1/apps/maps/assignments")
                .then()
                .statusCode(403);
    }
}
