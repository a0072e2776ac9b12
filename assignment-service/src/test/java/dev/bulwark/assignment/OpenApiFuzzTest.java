package dev.bulwark.assignment;

import dev.bulwark.events.GroupKind;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
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
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every operation of assignment-service's OpenAPI document, sent broken in one place at a time: each must be refused
 * with a 4xx problem+json (naming the field where it can), and none may change a row or publish an event.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class OpenApiFuzzTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    DataSource dataSource;

    @Test
    void everyOperationRefusesInvalidRequestsWithAProblemAndChangesNothing() {
        String tenant = "tenant-fuzz-" + UUID.randomUUID();
        Fixtures fixtures = new Fixtures(tenant, TestTokens.admin(tenant));
        fixtures.licence("fuzz-user", true);
        fixtures.join(GroupKind.USER, "fuzz-group", "fuzz-user");
        fixtures.enroll("fuzz-device", "fuzz-user");
        fixtures.awaitSubject("fuzz-device");
        fixtures.registerApp("fuzz-app");
        String assignment =
                fixtures.assign("fuzz-app", "AVAILABLE", Fixtures.target("USER_GROUP", "fuzz-group", false));

        FuzzReport report = OpenApiFuzzer.against(
                        FuzzTarget.builder(base(), dataSource, BulwarkInfra.kafkaBootstrap(), tenant)
                                .value("userId", "fuzz-user")
                                .value("deviceId", "fuzz-device")
                                .value("GET /api/v1/devices/{id}/apps#id", "fuzz-device")
                                .value("groupId", "fuzz-group")
                                .value("appId", "fuzz-app")
                                .value("assignmentId", assignment)
                                // Creating calls get new ids: the seeded ones would make every mutation a 409.
                                .body(
                                        "POST /api/v1/apps",
                                        """
                                {"appId": "fuzz-new-app", "name": "Fuzz", "platform": "ANDROID",
                                 "publisher": "Contoso", "storeRef": "com.contoso.fuzz", "protectedApp": true,
                                 "description": "An app.", "version": "1.0.0", "distribution": "MANAGED"}""")
                                .body(
                                        "POST /api/v1/apps/{appId}/assignments",
                                        """
                                {"intent": "AVAILABLE",
                                 "targets": [{"kind": "USER_GROUP", "groupId": "fuzz-other-group", "excluded": false}]}""")
                                .body(
                                        "PUT /api/v1/apps/{appId}/assignments/{assignmentId}",
                                        """
                                {"intent": "AVAILABLE",
                                 "targets": [{"kind": "USER_GROUP", "groupId": "fuzz-group", "excluded": false}]}""")
                                .body(
                                        "POST /api/v1/apps/{appId}/versions",
                                        """
                                {"version": "2.0.0", "releaseNotes": "Fixes."}""")
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
