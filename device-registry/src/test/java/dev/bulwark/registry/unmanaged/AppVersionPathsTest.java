package dev.bulwark.registry.unmanaged;

import static dev.bulwark.registry.Registry.state;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An app version reads the same on the managed path (a device's {@code installedApps}) and the unmanaged one (a
 * protected app's registration and check-in): the one grammar of {@code dev.bulwark.rules.Version}, suffixes included.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class AppVersionPathsTest {

    private static final String MAIL = "com.contoso.mail";

    @ParameterizedTest
    @ValueSource(strings = {"5.2.1-beta", "2.0.0+build7", "v5.3", "1.0.0-rc.1+sha.5114f85"})
    void anAppVersionWithASuffixIsAcceptedFromAProtectedAppAsFromAManagedDevice(String version) {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("alice");
        String deviceId = tenant.device(userId);
        Map<String, Object> managed = state("14.2", true, true, false);
        managed.put("installedApps", List.of(Map.of("appId", MAIL, "version", version)));
        tenant.asDevice(deviceId)
                .body(managed)
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(200);

        String registrationId = tenant.asUser(userId)
                .body(registration(version))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(201)
                .body("appVersion", equalTo(version))
                .extract()
                .path("registrationId");
        tenant.asUser(userId)
                .body(Map.of("osVersion", "17.5", "appVersion", version, "pinSet", true, "jailbroken", false))
                .post("/api/v1/app-instances/" + registrationId + "/state")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
        tenant.asUser(userId)
                .get("/api/v1/app-instances/" + registrationId)
                .then()
                .body("appVersion", equalTo(version));
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "5.2.1 beta", "1.2.3.4.5", "5_2"})
    void aTextThatIsNotAVersionIsRefusedFromAManagedDeviceAsFromAProtectedApp(String version) {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("bob");
        String deviceId = tenant.device(userId);
        Map<String, Object> managed = state("14.2", true, true, false);
        managed.put("installedApps", List.of(Map.of("appId", MAIL, "version", version)));
        tenant.asDevice(deviceId)
                .body(managed)
                .post("/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("installedApps[0].version"));

        tenant.asUser(userId)
                .body(registration(version))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("appVersion"));
    }

    private static Map<String, Object> registration(String appVersion) {
        Map<String, Object> body = new HashMap<>();
        body.put("appId", MAIL);
        body.put("installationId", "install-" + UUID.randomUUID());
        body.put("platform", "IOS");
        body.put("osVersion", "17.5");
        body.put("appVersion", appVersion);
        return body;
    }
}
