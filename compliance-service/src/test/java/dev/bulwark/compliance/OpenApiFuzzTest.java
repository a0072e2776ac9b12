package dev.bulwark.compliance;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Every operation of compliance-service's OpenAPI document, sent broken in one place at a time: each must be refused
 * with a 4xx problem+json, and none may change a row or publish an event.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class OpenApiFuzzTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    DataSource dataSource;

    @Test
    void everyOperationRefusesInvalidRequestsWithAProblemAndChangesNothing() {
        String tenant = "tenant-fuzz-" + UUID.randomUUID();
        seedCompliantDevice(tenant);

        FuzzReport report = OpenApiFuzzer.against(
                        FuzzTarget.builder(base(), dataSource, BulwarkInfra.kafkaBootstrap(), tenant)
                                .value("userId", "fuzz-user")
                                .value("deviceId", "fuzz-device")
                                .value("subjectId", "fuzz-device")
                                .value("id", "fuzz-device")
                                .value("resource", "crm")
                                // the event-time watermark moves with the clock (every poll), not with requests
                                .ignoreTable("event_time_watermark")
                                .build())
                .run();

        System.out.println(report.details());
        report.assertClean();
    }

    @Test
    void everyRequestStringAndArrayDeclaresItsMaximum() {
        OpenApiLimits.assertEveryInputBounded(base());
    }

    /** A managed device that checked in compliant: a subject with a timeline, and no deadline that could fire. */
    private static void seedCompliantDevice(String tenant) {
        String bootstrap = BulwarkInfra.kafkaBootstrap();
        TestEvents.publish(
                bootstrap,
                Topics.DEVICES,
                "fuzz-device",
                DeviceEnrolled.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setDeviceId("fuzz-device")
                        .setUserId("fuzz-user")
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("15")
                        .setHardwareId("hw-fuzz-device")
                        .setOwnership(Ownership.CORPORATE)
                        .build());
        Instant now = Instant.now();
        TestEvents.publish(
                bootstrap,
                Topics.DEVICES,
                "fuzz-device",
                DeviceStateReported.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(now)
                        .setTenantId(tenant)
                        .setSubjectId("fuzz-device")
                        .setManagementType(ManagementType.MANAGED)
                        .setUserId("fuzz-user")
                        .setPlatform(Platform.ANDROID)
                        .setOsVersion("15")
                        .setEncrypted(true)
                        .setPasscodeSet(true)
                        .setJailbroken(false)
                        .setLastContactAt(now)
                        .setInstalledApps(List.of())
                        .setAppId(null)
                        .setAppVersion(null)
                        .setPinSet(null)
                        .setConfigurationProfiles(List.of())
                        .setSelectiveWipeResults(List.of())
                        .build());
        await("fuzz-device assessed")
                .atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(TestTokens.admin(tenant))
                                .get("/api/v1/subjects/fuzz-device")
                                .statusCode()
                        == 200);
    }

    private URI base() {
        return URI.create(root.getScheme() + "://" + root.getHost() + ":" + root.getPort());
    }
}
