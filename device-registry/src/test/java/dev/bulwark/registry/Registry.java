package dev.bulwark.registry;

import static io.restassured.RestAssured.given;

import dev.bulwark.testsupport.TestTokens;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A fresh tenant for one test, with the calls most tests start from (add a user, enroll a device). */
public final class Registry {

    /** How long a test waits for an event the service should publish. */
    public static final Duration EVENT_TIMEOUT = Duration.ofSeconds(20);
    /** How long a test watches a topic to be sure nothing was published. */
    public static final Duration QUIET = Duration.ofSeconds(3);

    public final String tenantId;
    public final String adminToken;

    private Registry(String tenantId) {
        this.tenantId = tenantId;
        this.adminToken = TestTokens.admin(tenantId);
    }

    public static Registry newTenant() {
        return new Registry("tenant-" + UUID.randomUUID());
    }

    public RequestSpecification asAdmin() {
        return as(adminToken);
    }

    public RequestSpecification asUser(String userId) {
        return as(TestTokens.user(tenantId, userId));
    }

    public RequestSpecification asDevice(String deviceId) {
        return as(TestTokens.device(tenantId, deviceId));
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType("application/json");
    }

    /** Adds a user through the API and returns its id. */
    public String user(String userId) {
        asAdmin()
                .body(Map.of("userId", userId, "displayName", "User " + userId))
                .post("/api/v1/users")
                .then()
                .statusCode(201);
        return userId;
    }

    public static Map<String, Object> enrollment(String userId, String platform, String osVersion, String hardwareId) {
        Map<String, Object> body = new HashMap<>();
        body.put("userId", userId);
        body.put("platform", platform);
        body.put("osVersion", osVersion);
        body.put("model", "Pixel 8");
        body.put("hardwareId", hardwareId);
        body.put("ownership", "CORPORATE");
        return body;
    }

    /** What a protected iOS app sends to register for its user (MAM); a mutable map, for tests to break. */
    public static Map<String, Object> appRegistration(String appId, String installationId) {
        Map<String, Object> body = new HashMap<>();
        body.put("appId", appId);
        body.put("installationId", installationId);
        body.put("platform", "IOS");
        body.put("osVersion", "17.5");
        body.put("appVersion", "5.2");
        return body;
    }

    /** Enrolls an Android device for the user (as admin) and returns its deviceId. */
    public String device(String userId) {
        return asAdmin()
                .body(enrollment(userId, "ANDROID", "14.1", "hw-" + UUID.randomUUID()))
                .post("/api/v1/devices")
                .then()
                .statusCode(201)
                .extract()
                .path("deviceId");
    }

    public static Map<String, Object> state(
            String osVersion, boolean encrypted, boolean passcodeSet, boolean jailbroken) {
        Map<String, Object> body = new HashMap<>();
        body.put("osVersion", osVersion);
        body.put("encrypted", encrypted);
        body.put("passcodeSet", passcodeSet);
        body.put("jailbroken", jailbroken);
        body.put("installedApps", List.of(Map.of("appId", "com.contoso.mail", "version", "5.2.0")));
        return body;
    }
}
