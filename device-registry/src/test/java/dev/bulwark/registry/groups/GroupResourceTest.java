package dev.bulwark.registry.groups;

import static dev.bulwark.registry.Registry.EVENT_TIMEOUT;
import static dev.bulwark.registry.Registry.QUIET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class GroupResourceTest {

    private static void group(Registry tenant, String groupId, String kind) {
        tenant.asAdmin()
                .body(Map.of("groupId", groupId, "name", "Group " + groupId, "kind", kind))
                .post("/api/v1/groups")
                .then()
                .statusCode(201)
                .body("kind", equalTo(kind));
    }

    @Test
    void addingAndRemovingAUserPublishesGroupMembershipChangedKeyedByTheUser() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("alice");
        group(tenant, "sales", "USER");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            tenant.asAdmin()
                    .body(Map.of("memberId", userId))
                    .post("/api/v1/groups/sales/members")
                    .then()
                    .statusCode(201);
            TopicProbe.ReceivedEvent received = probe.awaitReceived(
                    GroupMembershipChanged.class, e -> e.getTenantId().equals(tenant.tenantId), EVENT_TIMEOUT);
            GroupMembershipChanged added = received.event(GroupMembershipChanged.class);
            assertThat(received.key()).isEqualTo(userId);
            assertThat(received.headers()).containsEntry("ce_type", "GroupMembershipChanged");
            assertThat(added.getGroupId()).isEqualTo("sales");
            assertThat(added.getGroupKind()).isEqualTo(GroupKind.USER);
            assertThat(added.getMemberId()).isEqualTo(userId);
            assertThat(added.getChange()).isEqualTo(MembershipChange.ADDED);

            tenant.asAdmin()
                    .body(Map.of("memberId", userId))
                    .post("/api/v1/groups/sales/members")
                    .then()
                    .statusCode(200);
            probe.assertNone(
                    GroupMembershipChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            && !e.getEventId().equals(added.getEventId()),
                    QUIET);
            tenant.asAdmin().get("/api/v1/groups/sales/members").then().body("totalItems", equalTo(1));

            tenant.asAdmin()
                    .delete("/api/v1/groups/sales/members/" + userId)
                    .then()
                    .statusCode(204);
            GroupMembershipChanged removed = probe.await(
                    GroupMembershipChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId) && e.getChange() == MembershipChange.REMOVED,
                    EVENT_TIMEOUT);
            assertThat(removed.getMemberId()).isEqualTo(userId);
        }
        tenant.asAdmin().delete("/api/v1/groups/sales/members/" + userId).then().statusCode(404);
        tenant.asAdmin().get("/api/v1/groups/sales/members").then().body("totalItems", equalTo(0));
    }

    @Test
    void aMemberOfTheWrongKindOrUnknownIsRefusedAndAGroupIdIsUniquePerTenant() {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("bob");
        String deviceId = tenant.device(userId);
        group(tenant, "phones", "DEVICE");
        group(tenant, "people", "USER");
        tenant.asAdmin()
                .body(Map.of("memberId", userId))
                .post("/api/v1/groups/phones/members")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("memberId"));
        tenant.asAdmin()
                .body(Map.of("memberId", deviceId))
                .post("/api/v1/groups/people/members")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("memberId"));
        tenant.asAdmin()
                .body(Map.of("groupId", "people", "name", "again", "kind", "USER"))
                .post("/api/v1/groups")
                .then()
                .statusCode(409);
        tenant.asAdmin()
                .body(Map.of("name", "no kind"))
                .post("/api/v1/groups")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("kind"));
        tenant.asUser(userId).get("/api/v1/groups").then().statusCode(403);
        tenant.asAdmin().get("/api/v1/groups").then().body("totalItems", equalTo(2));
    }

    @Test
    void aRetiredDeviceLeavesItsDeviceGroups() {
        Registry tenant = Registry.newTenant();
        String deviceId = tenant.device(tenant.user("carol"));
        group(tenant, "kiosks", "DEVICE");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            tenant.asAdmin()
                    .body(Map.of("memberId", deviceId))
                    .post("/api/v1/groups/kiosks/members")
                    .then()
                    .statusCode(201);
            probe.await(
                    GroupMembershipChanged.class,
                    e -> e.getMemberId().equals(deviceId) && e.getChange() == MembershipChange.ADDED,
                    EVENT_TIMEOUT);
            tenant.asAdmin().delete("/api/v1/devices/" + deviceId).then().statusCode(204);
            TopicProbe.ReceivedEvent removed = probe.awaitReceived(
                    GroupMembershipChanged.class,
                    e -> e.getMemberId().equals(deviceId) && e.getChange() == MembershipChange.REMOVED,
                    EVENT_TIMEOUT);
            assertThat(removed.key()).isEqualTo(deviceId);
            assertThat(removed.event(GroupMembershipChanged.class).getGroupKind())
                    .isEqualTo(GroupKind.DEVICE);
            assertThat(removed.event(GroupMembershipChanged.class).getGroupId()).isEqualTo("kiosks");
        }
        tenant.asAdmin().get("/api/v1/groups/kiosks/members").then().body("totalItems", equalTo(0));
    }

    @Test
    void oneTenantNeverSeesAnotherTenantsGroups() {
        Registry tenantA = Registry.newTenant();
        Registry tenantB = Registry.newTenant();
        group(tenantA, "secret", "USER");
        tenantB.asAdmin().get("/api/v1/groups/secret").then().statusCode(404);
        tenantB.asAdmin().get("/api/v1/groups").then().body("totalItems", equalTo(0));
        tenantB.user("eve");
        tenantB.asAdmin()
                .body(Map.of("memberId", "eve"))
                .post("/api/v1/groups/secret/members")
                .then()
                .statusCode(404);
    }
}
