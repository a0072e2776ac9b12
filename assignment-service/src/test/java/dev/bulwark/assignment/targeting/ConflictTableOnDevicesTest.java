package dev.bulwark.assignment.targeting;

import static dev.bulwark.assignment.Fixtures.target;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.assignment.Fixtures;
import dev.bulwark.events.GroupKind;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Every row of the intent-conflict table, and same-kind exclusion, on a managed device built from real events. */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class ConflictTableOnDevicesTest {

    private final String tenant = "t-" + UUID.randomUUID();
    private final String admin = TestTokens.admin(tenant);
    private final Fixtures fx = new Fixtures(tenant, admin);

    @Test
    void theConflictTableAndSameKindExclusionHoldOnAManagedDevice() {
        fx.enroll("dev-x", "erin");
        fx.join(GroupKind.USER, "g1", "erin");
        fx.join(GroupKind.USER, "g2", "erin");
        fx.join(GroupKind.DEVICE, "d1", "dev-x");
        fx.join(GroupKind.DEVICE, "d2", "dev-x");
        fx.registerApp("sentinel");
        fx.assign("sentinel", "AVAILABLE", target("DEVICE_GROUP", "d2", false), target("USER_GROUP", "g2", false));
        // wait until the device and all four memberships are projected
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth()
                .oauth2(admin)
                .get("/api/v1/devices/dev-x/apps")
                .then()
                .statusCode(200)
                .body("apps.find { it.appId == 'sentinel' }.intents", contains("AVAILABLE")));
        for (String app : new String[] {"r1", "r2", "r3", "r4", "r5", "x1", "x2", "x3"}) {
            fx.registerApp(app);
        }
        fx.assign("r1", "REQUIRED", target("USER_GROUP", "g1", false));
        fx.assign("r1", "AVAILABLE", target("USER_GROUP", "g2", false));
        fx.assign("r2", "REQUIRED", target("USER_GROUP", "g1", false));
        fx.assign("r2", "UNINSTALL", target("USER_GROUP", "g2", false));
        fx.assign("r3", "AVAILABLE", target("USER_GROUP", "g1", false));
        fx.assign("r3", "UNINSTALL", target("USER_GROUP", "g2", false));
        fx.assign("r4", "REQUIRED", target("DEVICE_GROUP", "d1", false));
        fx.assign("r4", "UNINSTALL", target("DEVICE_GROUP", "d2", false));
        fx.assign("r5", "AVAILABLE", target("USER_GROUP", "g1", false));
        fx.assign("r5", "UNINSTALL", target("DEVICE_GROUP", "d1", false));
        // an excluded user group does not cancel a device-side inclusion, and the other way round
        fx.assign("x1", "REQUIRED", target("ALL_DEVICES", null, false), target("USER_GROUP", "g1", true));
        fx.assign("x2", "REQUIRED", target("USER_GROUP", "g1", false), target("DEVICE_GROUP", "d1", true));
        // an excluded device group does cancel a device-side inclusion
        fx.assign("x3", "REQUIRED", target("ALL_DEVICES", null, false), target("DEVICE_GROUP", "d1", true));

        var body =
                given().auth().oauth2(admin).get("/api/v1/devices/dev-x/apps").then();
        body.body("apps.find { it.appId == 'r1' }.intents", contains("REQUIRED", "AVAILABLE"));
        body.body("apps.find { it.appId == 'r2' }.intents", contains("REQUIRED"));
        body.body("apps.find { it.appId == 'r3' }.intents", contains("UNINSTALL"));
        body.body("apps.find { it.appId == 'r4' }.intents", contains("REQUIRED"));
        body.body("apps.find { it.appId == 'r5' }.intents", contains("AVAILABLE"));
        body.body("apps.find { it.appId == 'x1' }.intents", contains("REQUIRED"));
        body.body("apps.find { it.appId == 'x2' }.intents", contains("REQUIRED"));
        body.body("apps.find { it.appId == 'x3' }", equalTo(null));
    }
}
