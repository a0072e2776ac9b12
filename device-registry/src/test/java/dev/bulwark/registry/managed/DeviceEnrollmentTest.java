package dev.bulwark.registry.managed;

import static dev.bulwark.registry.Registry.EVENT_TIMEOUT;
import static dev.bulwark.registry.Registry.QUIET;
import static dev.bulwark.registry.Registry.enrollment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceRetired;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.events.RetirementReason;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class DeviceEnrollmentTest {

    @Test
    void enrollingADevicePublishesDeviceEnrolledWithTheTenantUserPlatformOsAndCloudEventsHeaders() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("alice");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            String deviceId = tenant.asAdmin()
                    .body(enrollment(userId, "IOS", "17.5", "serial-A1"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(201)
                    .contentType("application/json")
                    .body("deviceId", notNullValue())
                    .body("status", equalTo("ACTIVE"))
                    .body("platform", equalTo("IOS"))
                    .extract()
                    .path("deviceId");

            TopicProbe.ReceivedEvent received = probe.awaitReceived(
                    DeviceEnrolled.class, e -> e.getTenantId().equals(tenant.tenantId), EVENT_TIMEOUT);
            DeviceEnrolled event = received.event(DeviceEnrolled.class);
            assertThat(received.key()).isEqualTo(deviceId);
            assertThat(event.getDeviceId()).isEqualTo(deviceId);
            assertThat(event.getUserId()).isEqualTo(userId);
            assertThat(event.getPlatform()).isEqualTo(Platform.IOS);
            assertThat(event.getOsVersion()).isEqualTo("17.5");
            assertThat(event.getHardwareId()).isEqualTo("serial-A1");
            assertThat(event.getModel()).isEqualTo("Pixel 8");
            assertThat(event.getOwnership()).isEqualTo(Ownership.CORPORATE);
            assertThat(received.headers())
                    .containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_type", "DeviceEnrolled")
                    .containsEntry("ce_subject", deviceId)
                    .containsEntry("ce_source", "device-registry")
                    .containsEntry("ce_id", event.getEventId())
                    .containsKey("ce_time");

            tenant.asAdmin()
                    .get("/api/v1/devices/" + deviceId)
                    .then()
                    .statusCode(200)
                    .body("userId", equalTo(userId))
                    .body("osVersion", equalTo("17.5"));
        }
    }

    @Test
    void aUserEnrollsTheirOwnDeviceButNotAnotherUsers() {
        Registry tenant = Registry.newTenant();
        tenant.user("bob");
        tenant.user("carol");
        tenant.asUser("bob")
                .body(enrollment("bob", "ANDROID", "14", "bob-phone"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/devices/"));
        tenant.asUser("bob")
                .body(enrollment("carol", "ANDROID", "14", "carols-phone"))
                .post("/api/v1/devices")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        tenant.asAdmin().get("/api/v1/devices?userId=carol").then().body("totalItems", equalTo(0));
    }

    @Test
    void enrollingTheSameHardwareAgainReturnsTheExistingDeviceAndPublishesNothing() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("dave");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            String first = tenant.asAdmin()
                    .body(enrollment(userId, "ANDROID", "14", "serial-D"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("deviceId");
            DeviceEnrolled enrolled =
                    probe.await(DeviceEnrolled.class, e -> e.getTenantId().equals(tenant.tenantId), EVENT_TIMEOUT);

            tenant.asUser(userId)
                    .body(enrollment(userId, "ANDROID", "14", "serial-D"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(200)
                    .body("deviceId", equalTo(first));

            probe.assertNone(
                    DeviceEnrolled.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            && !e.getEventId().equals(enrolled.getEventId()),
                    QUIET);
        }
        tenant.asAdmin().get("/api/v1/devices").then().body("totalItems", equalTo(1));
    }

    @Test
    void hardwareEnrolledForOneUserIsAConflictForAnother() {
        Registry tenant = Registry.newTenant();
        tenant.user("erin");
        tenant.user("frank");
        tenant.asAdmin()
                .body(enrollment("erin", "WINDOWS", "10.0.19045", "laptop-7"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201);
        tenant.asAdmin()
                .body(enrollment("frank", "WINDOWS", "10.0.19045", "laptop-7"))
                .post("/api/v1/devices")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        tenant.asAdmin().get("/api/v1/devices?userId=frank").then().body("totalItems", equalTo(0));
    }

    @Test
    void badEnrollmentInputIsAProblemNamingTheFieldAndNothingIsWrittenOrPublished() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("gina");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asAdmin()
                    .body(enrollment(userId, "BLACKBERRY", "10", "hw-1"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("platform"))
                    .body("detail", containsString("ANDROID"));
            tenant.asAdmin()
                    .body(enrollment(userId, "IOS", "seventeen", "hw-2"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("osVersion"));
            tenant.asAdmin()
                    .body(enrollment(userId, "IOS", "17.5; drop table", "hw-3"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("osVersion"));
            Map<String, Object> noHardware = enrollment(userId, "IOS", "17.5", "x");
            noHardware.remove("hardwareId");
            tenant.asAdmin()
                    .body(noHardware)
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("hardwareId"));
            Map<String, Object> badOwnership = enrollment(userId, "IOS", "17.5", "hw-4");
            badOwnership.put("ownership", "BORROWED");
            tenant.asAdmin()
                    .body(badOwnership)
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(400)
                    .body("errors[0].field", equalTo("ownership"));
            tenant.asAdmin()
                    .body("{\"userId\": \"gina\", ")
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
            tenant.asAdmin()
                    .body(enrollment("nobody", "IOS", "17.5", "hw-5"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("userId"));

            tenant.asAdmin()
                    .body(enrollment(userId, "IOS", "17.5", "nul\u0000in-the-serial"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
            probe.assertNone(DeviceEnrolled.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
        }
        tenant.asAdmin().get("/api/v1/devices").then().body("totalItems", equalTo(0));
    }

    @Test
    void callsWithoutATokenOrWithTheWrongRoleAreRefused() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("hank");
        String deviceId = tenant.device(userId);
        io.restassured.RestAssured.given()
                .contentType("application/json")
                .body(enrollment(userId, "IOS", "17.5", "hw"))
                .post("/api/v1/devices")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        tenant.asDevice(deviceId)
                .body(enrollment(userId, "IOS", "17.5", "hw"))
                .post("/api/v1/devices")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        Registry.as(TestTokens.service(tenant.tenantId, "compliance-service"))
                .get("/api/v1/devices")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        tenant.asUser("someone-else")
                .get("/api/v1/devices/" + deviceId)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        tenant.asUser("someone-else")
                .delete("/api/v1/devices/" + deviceId)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        tenant.asDevice("another-device")
                .get("/api/v1/devices/" + deviceId)
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        tenant.asDevice(deviceId).get("/api/v1/devices/" + deviceId).then().statusCode(200);
        tenant.asUser(userId).get("/api/v1/devices/" + deviceId).then().statusCode(200);
    }

    @Test
    void theDeviceListFiltersByUserPagesAndShowsAUserOnlyTheirOwn() {
        Registry tenant = Registry.newTenant();
        tenant.user("ivy");
        tenant.user("jack");
        tenant.device("ivy");
        tenant.device("ivy");
        tenant.device("jack");
        tenant.asAdmin().get("/api/v1/devices").then().body("totalItems", equalTo(3));
        tenant.asAdmin()
                .get("/api/v1/devices?userId=ivy")
                .then()
                .body("totalItems", equalTo(2))
                .body("items.userId", org.hamcrest.Matchers.everyItem(equalTo("ivy")));
        tenant.asAdmin()
                .get("/api/v1/devices?size=1&page=2")
                .then()
                .body("items", hasSize(1))
                .body("page", equalTo(2))
                .body("totalItems", equalTo(3));
        tenant.asUser("jack")
                .get("/api/v1/devices")
                .then()
                .statusCode(200)
                .body("totalItems", equalTo(1))
                .body("items[0].userId", equalTo("jack"));
        tenant.asUser("jack").get("/api/v1/devices?userId=ivy").then().statusCode(403);
        tenant.asAdmin()
                .get("/api/v1/devices?size=101")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("size"));
    }

    @Test
    void retiringPublishesDeviceRetiredOnceAndARetiredDeviceRefusesCheckIns() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("kate");
        String deviceId = tenant.device(userId);
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asAdmin()
                    .delete("/api/v1/devices/" + deviceId + "?comment=lost on a train")
                    .then()
                    .statusCode(204);
            TopicProbe.ReceivedEvent received = probe.awaitReceived(
                    DeviceRetired.class, e -> e.getDeviceId().equals(deviceId), EVENT_TIMEOUT);
            DeviceRetired retired = received.event(DeviceRetired.class);
            assertThat(received.key()).isEqualTo(deviceId);
            assertThat(received.headers()).containsEntry("ce_type", "DeviceRetired");
            assertThat(retired.getTenantId()).isEqualTo(tenant.tenantId);
            assertThat(retired.getUserId()).isEqualTo(userId);
            assertThat(retired.getReason()).isEqualTo(RetirementReason.ADMIN);
            assertThat(retired.getComment()).isEqualTo("lost on a train");

            // Retiring again is an idempotent 204 that publishes nothing more.
            tenant.asAdmin().delete("/api/v1/devices/" + deviceId).then().statusCode(204);
            probe.assertNone(
                    DeviceRetired.class,
                    e -> e.getDeviceId().equals(deviceId) && !e.getEventId().equals(retired.getEventId()),
                    QUIET);
        }
        tenant.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .body("status", equalTo("RETIRED"))
                .body("retiredAt", notNullValue());
        // the device's own token is revoked with the retirement (401); an admin is told it is retired (409)
        tenant.asDevice(deviceId)
                .body(Registry.state("14.1", true, true, false))
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        tenant.asAdmin()
                .body(Registry.state("14.1", true, true, false))
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        tenant.asAdmin().delete("/api/v1/devices/no-such-device").then().statusCode(404);
    }

    @Test
    void aUserRetiringTheirOwnDeviceIsRecordedAsUserAndTheHardwareCanBeEnrolledAgain() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("liam");
        String first = tenant.asUser(userId)
                .body(enrollment(userId, "MACOS", "14.4", "mac-serial"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201)
                .extract()
                .path("deviceId");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asUser(userId).delete("/api/v1/devices/" + first).then().statusCode(204);
            DeviceRetired retired =
                    probe.await(DeviceRetired.class, e -> e.getDeviceId().equals(first), EVENT_TIMEOUT);
            assertThat(retired.getReason()).isEqualTo(RetirementReason.USER);
        }
        tenant.asUser(userId)
                .body(enrollment(userId, "MACOS", "14.5", "mac-serial"))
                .post("/api/v1/devices")
                .then()
                .statusCode(201)
                .body("deviceId", org.hamcrest.Matchers.not(equalTo(first)))
                .header("Location", containsString("/api/v1/devices/"));
    }

    @Test
    void oneTenantNeverSeesRetiresOrEnrollsForAnotherTenantsDevicesAndUsers() {
        Registry tenantA = Registry.newTenant();
        Registry tenantB = Registry.newTenant();
        String userId = tenantA.user("mia");
        String deviceId = tenantA.device(userId);
        tenantB.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        tenantB.asAdmin().get("/api/v1/devices").then().body("totalItems", equalTo(0));
        tenantB.asAdmin().delete("/api/v1/devices/" + deviceId).then().statusCode(404);
        tenantB.asAdmin()
                .body(enrollment(userId, "ANDROID", "14", "b-hw"))
                .post("/api/v1/devices")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("userId"));
        // A device token minted by tenant B naming tenant A's device is still tenant B's caller.
        tenantB.asDevice(deviceId)
                .body(Registry.state("14.1", true, true, false))
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(404);
        tenantA.asAdmin()
                .get("/api/v1/devices/" + deviceId)
                .then()
                .body("status", equalTo("ACTIVE"))
                .body("lastContactAt", org.hamcrest.Matchers.nullValue());
    }
}
