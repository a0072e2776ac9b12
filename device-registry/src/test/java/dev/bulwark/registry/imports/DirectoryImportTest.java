package dev.bulwark.registry.imports;

import static dev.bulwark.registry.Registry.EVENT_TIMEOUT;
import static dev.bulwark.registry.Registry.QUIET;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class DirectoryImportTest {

    private static final int USERS = 5_000;

    @Inject
    EntityManager entityManager;

    private static ValidatableResponse importAs(String token, String ndjson) {
        return given().auth()
                .oauth2(token)
                .contentType(ImportResource.NDJSON)
                .body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/imports")
                .then();
    }

    private static String user(int i) {
        return String.format("user-%04d", i);
    }

    private static String userLine(String userId, boolean licensed) {
        return "{\"type\":\"user\",\"userId\":\"" + userId + "\",\"displayName\":\"User " + userId + "\",\"email\":\""
                + userId + "@contoso.com\",\"licensed\":" + licensed + "}";
    }

    private static String membershipLine(String groupId, String memberId) {
        return "{\"type\":\"membership\",\"groupId\":\"" + groupId + "\",\"memberId\":\"" + memberId + "\"}";
    }

    private static String groupLine(String groupId, String kind) {
        return "{\"type\":\"group\",\"groupId\":\"" + groupId + "\",\"name\":\"Group " + groupId + "\",\"kind\":\""
                + kind + "\"}";
    }

    /** Every other user licensed; everyone in all-staff; memberships come first, before the users they name. */
    private static String identityProviderFeed() {
        String memberships = IntStream.range(0, USERS)
                .mapToObj(i -> membershipLine("all-staff", user(i)))
                .collect(Collectors.joining("\n"));
        String users = IntStream.range(0, USERS)
                .mapToObj(i -> userLine(user(i), i % 2 == 0))
                .collect(Collectors.joining("\n"));
        return groupLine("all-staff", "USER") + "\n" + memberships + "\n\n" + users + "\n";
    }

    private static long count(TopicProbe probe, Class<? extends SpecificRecord> type, String tenantId) {
        return probe.all().stream()
                .filter(r -> type.isInstance(r.event()))
                .filter(r -> tenantOf(r.event()).equals(tenantId))
                .count();
    }

    private static String tenantOf(SpecificRecord event) {
        return event instanceof UserLicenseChanged licence
                ? licence.getTenantId()
                : ((GroupMembershipChanged) event).getTenantId();
    }

    private long stagedLines() {
        return ((Number) entityManager
                        .createNativeQuery("select count(*) from import_line")
                        .getSingleResult())
                .longValue();
    }

    @Test
    void fiveThousandUsersAndTheirMembershipsArePublishedOnceAndImportingTheSameFeedAgainPublishesNothing() {
        Registry tenant = Registry.newTenant();
        String feed = identityProviderFeed();
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            importAs(tenant.adminToken, feed)
                    .statusCode(200)
                    .body("lines", equalTo(2 * USERS + 1))
                    .body("users.created", equalTo(USERS))
                    .body("users.unchanged", equalTo(0))
                    .body("licencesChanged", equalTo(USERS / 2))
                    .body("groups.created", equalTo(1))
                    .body("memberships.added", equalTo(USERS))
                    .body("events", equalTo(USERS / 2 + USERS));
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        assertThat(count(probe, UserLicenseChanged.class, tenant.tenantId))
                                .isEqualTo(USERS / 2);
                        assertThat(count(probe, GroupMembershipChanged.class, tenant.tenantId))
                                .isEqualTo(USERS);
                    });
            TopicProbe.ReceivedEvent licence = probe.awaitReceived(
                    UserLicenseChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            && e.getUserId().equals(user(42)),
                    EVENT_TIMEOUT);
            assertThat(licence.key()).isEqualTo(user(42));
            assertThat(licence.event(UserLicenseChanged.class).getLicensed()).isTrue();
            assertThat(licence.event(UserLicenseChanged.class).getSku()).isEqualTo("BULWARK_E3");
            TopicProbe.ReceivedEvent added = probe.awaitReceived(
                    GroupMembershipChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            && e.getMemberId().equals(user(43)),
                    EVENT_TIMEOUT);
            assertThat(added.key()).isEqualTo(user(43));
            assertThat(added.event(GroupMembershipChanged.class).getChange()).isEqualTo(MembershipChange.ADDED);
            assertThat(added.event(GroupMembershipChanged.class).getGroupKind()).isEqualTo(GroupKind.USER);
            assertThat(probe.all().stream()
                            .filter(r -> r.event() instanceof UserLicenseChanged l
                                    && l.getTenantId().equals(tenant.tenantId))
                            .filter(r -> !r.event(UserLicenseChanged.class).getLicensed())
                            .count())
                    .as("a new unlicensed user publishes no licence event")
                    .isZero();
        }
        tenant.asAdmin().get("/api/v1/users?size=1").then().body("totalItems", equalTo(USERS));
        tenant.asAdmin()
                .get("/api/v1/users/" + user(7))
                .then()
                .body("licensed", equalTo(false))
                .body("email", equalTo(user(7) + "@contoso.com"));
        tenant.asAdmin().get("/api/v1/groups/all-staff/members?size=1").then().body("totalItems", equalTo(USERS));
        assertThat(stagedLines())
                .as("staged lines are dropped after the import")
                .isZero();

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            importAs(tenant.adminToken, feed)
                    .statusCode(200)
                    .body("users.created", equalTo(0))
                    .body("users.updated", equalTo(0))
                    .body("users.unchanged", equalTo(USERS))
                    .body("licencesChanged", equalTo(0))
                    .body("groups.unchanged", equalTo(1))
                    .body("memberships.added", equalTo(0))
                    .body("memberships.unchanged", equalTo(USERS))
                    .body("events", equalTo(0));
            probe.assertNone(GroupMembershipChanged.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
            probe.assertNone(UserLicenseChanged.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
        }
    }

    @Test
    void aBadLineAfterThousandsOfGoodOnesRefusesTheWholeImportNamingTheLineAndWritesNothing() {
        Registry tenant = Registry.newTenant();
        int badLine = 3_001;
        String good = IntStream.range(1, badLine)
                .mapToObj(i -> userLine(user(i), true))
                .collect(Collectors.joining("\n"));
        String bad = "{\"type\":\"user\",\"userId\":\"has space\",\"displayName\":\"Bad\"}";
        String after = userLine("after-the-bad-line", true);
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            importAs(tenant.adminToken, good + "\n" + bad + "\n" + after)
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("line", equalTo(badLine))
                    .body("errors[0].field", equalTo("userId"))
                    .body("detail", containsString("line " + badLine));
            probe.assertNone(UserLicenseChanged.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
        }
        tenant.asAdmin().get("/api/v1/users").then().body("totalItems", equalTo(0));
        assertThat(stagedLines())
                .as("the lines staged before the bad one are dropped")
                .isZero();
    }

    @Test
    void eachKindOfBadLineIsAProblemNamingItsLineAndFieldAndNothingIsWritten() {
        Registry tenant = Registry.newTenant();
        String deviceUser = tenant.user("dana");
        String deviceId = tenant.device(deviceUser);
        tenant.asAdmin()
                .body(Map.of("groupId", "phones", "name", "Phones", "kind", "DEVICE"))
                .post("/api/v1/groups")
                .then()
                .statusCode(201);
        String first = userLine("alice", true) + "\n" + groupLine("sales", "USER") + "\n";
        record Case(String line, int status, String field) {}
        List<Case> cases = List.of(
                new Case("not json", 400, "body"),
                new Case("{\"type\":\"user\",\"userId\":\"bob\",\"displayName\":\"Bob\"", 400, "body"),
                new Case("{\"userId\":\"bob\",\"displayName\":\"Bob\"}", 400, "type"),
                new Case("{\"type\":\"robot\",\"userId\":\"bob\"}", 400, "type"),
                new Case(
                        "{\"type\":\"user\",\"userId\":\"bob\",\"displayName\":\"Bob\",\"licenced\":true}",
                        400,
                        "licenced"),
                new Case("{\"type\":\"user\",\"userId\":\"bob\"}", 400, "displayName"),
                new Case("{\"type\":\"user\",\"displayName\":\"Bob\"}", 400, "userId"),
                new Case(
                        "{\"type\":\"user\",\"userId\":\"bob\",\"displayName\":\"Bob\",\"licensed\":\"yes\"}",
                        400,
                        "licensed"),
                new Case(
                        "{\"type\":\"user\",\"userId\":\"bob\",\"displayName\":\"Bob\",\"email\":\"nope\"}",
                        400,
                        "email"),
                new Case("{\"type\":\"user\",\"userId\":\"bob\",\"displayName\":\"B\\u0000b\"}", 400, "displayName"),
                new Case("{\"type\":\"group\",\"groupId\":\"g\",\"name\":\"G\",\"kind\":\"ROBOTS\"}", 400, "kind"),
                new Case("{\"type\":\"user\",\"userId\":\"bob\",\"displayName\":\"Bob\"} {\"x\":1}", 400, "body"),
                new Case(userLine("alice", false), 400, "userId"),
                new Case(groupLine("phones", "USER"), 422, "kind"),
                new Case(membershipLine("nowhere", "alice"), 422, "groupId"),
                new Case(membershipLine("sales", "nobody"), 422, "memberId"),
                new Case(membershipLine("sales", deviceId), 422, "memberId"),
                new Case(membershipLine("phones", "alice"), 422, "memberId"));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            for (Case c : cases) {
                importAs(tenant.adminToken, first + c.line() + "\n" + membershipLine("sales", "alice"))
                        .statusCode(c.status())
                        .contentType("application/problem+json")
                        .body("line", equalTo(3))
                        .body("errors[0].field", equalTo(c.field()));
            }
            probe.assertNone(UserLicenseChanged.class, e -> e.getTenantId().equals(tenant.tenantId), QUIET);
            probe.assertNone(GroupMembershipChanged.class, e -> e.getTenantId().equals(tenant.tenantId), Duration.ZERO);
        }
        tenant.asAdmin().get("/api/v1/users").then().body("totalItems", equalTo(1));
        tenant.asAdmin().get("/api/v1/groups").then().body("totalItems", equalTo(1));
        tenant.asAdmin().get("/api/v1/groups/phones/members").then().body("totalItems", equalTo(0));
        assertThat(stagedLines()).isZero();

        // The same feed without the bad line goes through, device group included.
        importAs(
                        tenant.adminToken,
                        first + membershipLine("phones", deviceId) + "\n" + membershipLine("sales", "alice"))
                .statusCode(200)
                .body("users.created", equalTo(1))
                .body("memberships.added", equalTo(2));
        tenant.asAdmin().get("/api/v1/groups/phones/members").then().body("items[0].memberId", equalTo(deviceId));
    }

    @Test
    void anImportUpdatesProfilesAndLicencesAndPublishesOnlyTheLicenceChanges() {
        Registry tenant = Registry.newTenant();
        tenant.user("erin");
        tenant.user("frank");
        // The set-up's own licence event leaves through the outbox asynchronously: wait for it, so the probe below
        // sees only what the import publishes.
        try (TopicProbe setUp = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            tenant.asAdmin()
                    .body(Map.of("licensed", true, "sku", "BULWARK_E5"))
                    .put("/api/v1/users/erin/licence")
                    .then()
                    .statusCode(200);
            setUp.await(
                    UserLicenseChanged.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            && e.getUserId().equals("erin"),
                    EVENT_TIMEOUT);
        }
        String feed = "{\"type\":\"user\",\"userId\":\"erin\",\"displayName\":\"Erin Renamed\",\"licensed\":true}\n"
                + "{\"type\":\"user\",\"userId\":\"frank\",\"displayName\":\"User frank\",\"licensed\":true,"
                + "\"sku\":\"BULWARK_F1\"}\r\n"
                + "{\"type\":\"user\",\"userId\":\"gina\",\"displayName\":\"Gina\"}\n";
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            importAs(tenant.adminToken, feed)
                    .statusCode(200)
                    .body("users.created", equalTo(1))
                    .body("users.updated", equalTo(2))
                    .body("licencesChanged", equalTo(1))
                    .body("events", equalTo(1));
            UserLicenseChanged frank =
                    probe.await(UserLicenseChanged.class, e -> e.getTenantId().equals(tenant.tenantId), EVENT_TIMEOUT);
            assertThat(frank.getUserId()).isEqualTo("frank");
            assertThat(frank.getSku()).isEqualTo("BULWARK_F1");
            Predicate<UserLicenseChanged> others = e ->
                    e.getTenantId().equals(tenant.tenantId) && !e.getUserId().equals("frank");
            probe.assertNone(UserLicenseChanged.class, others, QUIET);
        }
        tenant.asAdmin()
                .get("/api/v1/users/erin")
                .then()
                .body("displayName", equalTo("Erin Renamed"))
                .body("sku", equalTo("BULWARK_E5"));
        tenant.asAdmin().get("/api/v1/users/gina").then().body("licensed", equalTo(false));

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            importAs(
                            tenant.adminToken,
                            "{\"type\":\"user\",\"userId\":\"erin\",\"displayName\":\"Erin Renamed\","
                                    + "\"licensed\":false}")
                    .statusCode(200)
                    .body("users.updated", equalTo(1))
                    .body("licencesChanged", equalTo(1));
            UserLicenseChanged erin =
                    probe.await(UserLicenseChanged.class, e -> e.getTenantId().equals(tenant.tenantId), EVENT_TIMEOUT);
            assertThat(erin.getLicensed()).isFalse();
            assertThat(erin.getSku()).isNull();
        }
    }

    @Test
    void theTenantComesFromTheTokenAndOnlyAnAdminImports() {
        Registry tenantA = Registry.newTenant();
        Registry tenantB = Registry.newTenant();
        String feed =
                groupLine("sales", "USER") + "\n" + userLine("alice", true) + "\n" + membershipLine("sales", "alice");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DIRECTORY)) {
            importAs(tenantA.adminToken, feed).statusCode(200).body("events", equalTo(2));
            GroupMembershipChanged added = probe.await(
                    GroupMembershipChanged.class,
                    e -> e.getMemberId().equals("alice") && e.getTenantId().equals(tenantA.tenantId),
                    EVENT_TIMEOUT);
            assertThat(added.getGroupId()).isEqualTo("sales");
        }
        tenantB.asAdmin().get("/api/v1/users").then().body("totalItems", equalTo(0));
        tenantB.asAdmin().get("/api/v1/groups").then().body("totalItems", equalTo(0));
        // Tenant A's group and user do not exist for tenant B.
        importAs(tenantB.adminToken, membershipLine("sales", "alice"))
                .statusCode(422)
                .body("line", equalTo(1))
                .body("errors[0].field", equalTo("groupId"));
        importAs(
                        tenantB.adminToken,
                        "{\"type\":\"user\",\"userId\":\"x\",\"displayName\":\"X\",\"tenantId\":\"" + tenantA.tenantId
                                + "\"}")
                .statusCode(400)
                .body("errors[0].field", equalTo("tenantId"));
        tenantA.asAdmin().get("/api/v1/users").then().body("totalItems", equalTo(1));

        importAs(tenantA.adminToken, "")
                .statusCode(200)
                .body("lines", equalTo(0))
                .body("events", equalTo(0));
        tenantA.asUser("alice")
                .contentType(ImportResource.NDJSON)
                .body(userLine("mallory", true).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/imports")
                .then()
                .statusCode(403);
        tenantA.asAdmin()
                .body(userLine("bob", true))
                .post("/api/v1/imports")
                .then()
                .statusCode(415);
        given().contentType(ImportResource.NDJSON)
                .body(userLine("bob", true).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/imports")
                .then()
                .statusCode(401);
        tenantA.asAdmin().get("/api/v1/users").then().body("totalItems", equalTo(1));
    }
}
