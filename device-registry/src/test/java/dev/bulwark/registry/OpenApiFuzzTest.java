package dev.bulwark.registry;

import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.fuzz.FuzzReport;
import dev.bulwark.testsupport.fuzz.FuzzTarget;
import dev.bulwark.testsupport.fuzz.OpenApiFuzzer;
import dev.bulwark.testsupport.fuzz.OpenApiLimits;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every operation of device-registry's OpenAPI document, sent broken in one place at a time: each must be refused
 * with a 4xx problem+json (naming the field where it can), and none may change a row or publish an event.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class OpenApiFuzzTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    DataSource dataSource;

    @Test
    void everyOperationRefusesInvalidRequestsWithAProblemAndChangesNothing() {
        Registry tenant = Registry.newTenant();
        String user = tenant.user("fuzz-user");
        String device = tenant.device(user);
        tenant.asAdmin()
                .body(Map.of("groupId", "fuzz-group", "name", "Fuzz group", "kind", "USER"))
                .post("/api/v1/groups")
                .then()
                .statusCode(201);
        tenant.asAdmin()
                .body(Map.of("memberId", user))
                .post("/api/v1/groups/fuzz-group/members")
                .then()
                .statusCode(201);
        String registration = tenant.asUser(user)
                .body(Map.of(
                        "appId", "com.contoso.mail",
                        "installationId", "fuzz-install",
                        "platform", "IOS",
                        "osVersion", "17.5",
                        "appVersion", "5.2"))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(201)
                .extract()
                .path("registrationId");

        FuzzReport report = OpenApiFuzzer.against(
                        FuzzTarget.builder(base(), dataSource, BulwarkInfra.kafkaBootstrap(), tenant.tenantId)
                                .value("userId", user)
                                .value("deviceId", device)
                                .value("groupId", "fuzz-group")
                                .value("memberId", user)
                                .value("registrationId", registration)
                                .value("appId", "com.contoso.mail")
                                .value("email", "fuzz@example.com")
                                // Creating calls get new ids: the seeded ones would make every mutation a 409.
                                .body(
                                        "POST /api/v1/users",
                                        """
                                {"userId": "fuzz-new-user", "displayName": "Fuzz", "email": "fuzz@example.com"}""")
                                .body(
                                        "POST /api/v1/groups",
                                        """
                                {"groupId": "fuzz-new-group", "name": "Fuzz", "kind": "USER"}""")
                                .body(
                                        "POST /api/v1/app-instances",
                                        """
                                {"appId": "com.contoso.word", "installationId": "fuzz-new-install", "platform": "IOS",
                                 "osVersion": "17.5", "appVersion": "5.2"}""")
                                .role("POST /api/v1/app-instances/{registrationId}/state", "user")
                                .build())
                .run();

        System.out.println(report.details());
        report.assertClean();
    }

    @Test
    void everyRequestStringAndArrayDeclaresItsMaximum() {
        OpenApiLimits.assertEveryInputBounded(base());
    }

    private URI base() {
        return URI.create(root.getScheme() + "://" + root.getHost() + ":" + root.getPort());
    }
}
