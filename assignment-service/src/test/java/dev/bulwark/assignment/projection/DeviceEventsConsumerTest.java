package dev.bulwark.assignment.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.assignment.Fixtures;
import dev.bulwark.events.ManagementType;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the device-events consumer writes for the check-ins it reads. */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class DeviceEventsConsumerTest {

    private final String tenant = "t-" + UUID.randomUUID();
    private final Fixtures fx = new Fixtures(tenant, TestTokens.admin(tenant));

    @Inject
    EntityManager entityManager;

    @Test
    void anAppInstancesCheckInChangesNothingHereSoItLeavesNoInboxRowWhileAManagedDevicesDoes() {
        fx.enroll("dev-ann", "ann");
        fx.awaitSubject("dev-ann");
        String managed = fx.report("dev-ann", "ann", ManagementType.MANAGED, Map.of("crm", "1.0.0"));
        // the app instance's check-in, then its registration on the same key (so the same partition, in this order)
        String unmanaged = fx.report("reg-ann", "ann", ManagementType.UNMANAGED, Map.of());
        fx.registerUnmanaged("reg-ann", "ann", "crm");
        fx.awaitSubject("reg-ann");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> processed(managed));

        assertThat(processed(unmanaged))
                .as("the unmanaged check-in was read before the registration that follows it, and left no row")
                .isFalse();
    }

    private boolean processed(String eventId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> ((Number) entityManager
                                        .createNativeQuery(
                                                "select count(*) from processed_event where consumer = ?1 and event_id = ?2")
                                        .setParameter(1, DeviceEventsConsumer.CONSUMER)
                                        .setParameter(2, eventId)
                                        .getSingleResult())
                                .intValue()
                        > 0);
    }
}
