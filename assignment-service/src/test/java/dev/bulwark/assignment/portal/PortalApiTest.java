package dev.bulwark.assignment.portal;

import static dev.bulwark.assignment.Fixtures.target;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.assignment.Fixtures;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstallRequested;
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
class PortalApiTest {

    private final String tenant = "t-" + UUID.randomUUID();
    private final String admin = TestTokens.admin(tenant);
    private final Fixtures fx = new Fixtures(tenant, admin);

    @Test
    void aManagedDeviceSeesItsAppsAndInstallsAnAvailableOne() {
        fx.licence("frank", true);
        fx.enroll("dev-f", "frank");
        fx.awaitSubject("dev-f");
        fx.registerApp("docs");
        fx.assign("docs", "AVAILABLE", target("ALL_LICENSED_USERS", null, false));
        String device = TestTokens.device(tenant, "dev-f");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth()
                .oauth2(device)
                .get("/api/v1/me/portal/apps")
                .then()
                .statusCode(200)
                .body("apps.appId", contains("docs")));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS)) {
            given().auth()
                    .oauth2(device)
                    .post("/api/v1/me/portal/apps/docs/install")
                    .then()
                    .statusCode(202)
                    .body("version", equalTo("1.0.0"));
            probe.await(
                    AppInstallRequested.class,
                    e -> e.getDeviceId().equals("dev-f") && e.getAppId().equals("docs"),
                    Duration.ofSeconds(20));
        }
        given().auth()
                .oauth2(device)
                .post("/api/v1/me/portal/apps/docs/install")
                .then()
                .statusCode(409);
        given().auth()
                .oauth2(device)
                .post("/api/v1/me/portal/apps/nothing/install")
                .then()
                .statusCode(404);
    }

    @Test
    void anUnmanagedCallerIsPointedToTheWebPortal() {
        given().auth()
                .oauth2(TestTokens.user(tenant, "gina"))
                .get("/api/v1/me/portal/apps")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("/portal"));
        given().auth()
                .oauth2(TestTokens.device(tenant, "never-enrolled"))
                .get("/api/v1/me/portal/apps")
                .then()
                .statusCode(403)
                .body("detail", containsString("/portal"));
    }

    @Test
    void theWebPortalOffersAnUnmanagedUserAvailableAppsByStoreLinkOnly() {
        fx.licence("hana", true);
        fx.registerUnmanaged("reg-hana", "hana", "chat");
        fx.awaitSubject("reg-hana");
        fx.registerApp("chat");
        fx.registerApp("forced");
        fx.assign("chat", "AVAILABLE", target("ALL_LICENSED_USERS", null, false));
        fx.assign("forced", "REQUIRED", target("ALL_LICENSED_USERS", null, false));
        String user = TestTokens.user(tenant, "hana");
        given().auth()
                .oauth2(user)
                .get("/api/v1/me/apps")
                .then()
                .statusCode(200)
                .body("managedDevices", hasSize(0))
                .body("apps.app.appId", contains("chat"))
                .body("apps[0].openInStore", equalTo(true))
                .body("apps[0].installableOn", hasSize(0))
                .body("apps[0].app.storeUrl", containsString("com.contoso.chat"));
        given().auth()
                .oauth2(user)
                .post("/api/v1/me/devices/reg-hana/apps/chat/install")
                .then()
                .statusCode(404)
                .body("detail", containsString("store link"));
        given().get("/portal").then().statusCode(200).body(containsString("Company Portal"));
    }
}
