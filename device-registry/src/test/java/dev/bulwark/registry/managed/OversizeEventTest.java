package dev.bulwark.registry.managed;

import static dev.bulwark.registry.Registry.QUIET;
import static dev.bulwark.registry.Registry.enrollment;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An event Kafka could never take is refused when it is written, not found out by the relay: the request gets a 413
 * problem and nothing of it is stored or published. The limit is lowered here so that an ordinary enrollment's event
 * stands for an oversize one (in production it is 90 % of Kafka's 1 MiB).
 */
@QuarkusTest
@TestProfile(OversizeEventTest.TinyEventLimit.class)
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class OversizeEventTest {

    /** Events over 200 bytes are refused. */
    public static class TinyEventLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bulwark.outbox.max-event-bytes", "200");
        }
    }

    @Test
    void aChangeWhoseEventIsTooLargeForKafkaIsRefusedWith413AndNothingIsWrittenOrPublished() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("erin");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            tenant.asAdmin()
                    .body(enrollment(userId, "ANDROID", "14", "serial-oversize"))
                    .post("/api/v1/devices")
                    .then()
                    .statusCode(413)
                    .contentType("application/problem+json")
                    .body("status", equalTo(413))
                    .body("detail", containsString("DeviceEnrolled event of"))
                    .body("detail", containsString("limited to 200 bytes"));

            tenant.asAdmin()
                    .get("/api/v1/devices?userId=" + userId)
                    .then()
                    .statusCode(200)
                    .body("totalItems", equalTo(0));
            probe.assertNone(DeviceEnrolled.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
        }
    }
}
