package dev.bulwark.registry.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Check-ins that arrive together commit together. To make a group form for sure, the test holds one device's row
 * lock from its own connection: the committer waits on it with that device's check-in, the other check-ins queue
 * meanwhile, and once the lock is let go they are applied in the next transaction. PostgreSQL tells which transaction
 * wrote a row ({@code xmin}): one group, one transaction.
 */
@QuarkusTest
@TestProfile(QuietRelayProfile.class)
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class CheckInGroupCommitTest {

    private static final int GROUP = 8;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry meters;

    private final ExecutorService clients = Executors.newFixedThreadPool(GROUP + 4);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void concurrentCheckInsCommitInOneTransactionEachIsPublishedOnceAndBadOnesGetTheirOwnProblem() throws Exception {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("tess");
        String held = tenant.device(userId);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < GROUP; i++) {
            devices.add(tenant.device(userId));
        }
        String retired = tenant.device(userId);
        tenant.asAdmin().delete("/api/v1/devices/" + retired).then().statusCode(204);
        String unknown = UUID.randomUUID().toString();

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            CompletableFuture<Response> first;
            List<CompletableFuture<Response>> together = new ArrayList<>();
            CompletableFuture<Response> toRetired;
            CompletableFuture<Response> toUnknown;
            try (GroupProbe.Hold hold = GroupProbe.Hold.row(dataSource, "managed_device", "device_id", held)) {
                first = async(() -> checkIn(tenant, held, Registry.state("14.1", true, true, false)));
                hold.awaitWaiter();
                for (String deviceId : devices) {
                    together.add(async(() -> checkIn(tenant, deviceId, Registry.state("14.2", true, true, false))));
                }
                toRetired = async(() -> checkIn(tenant, retired, Registry.state("14.2", true, true, false)));
                toUnknown = async(() -> tenant.asAdmin()
                        .body(Registry.state("14.2", true, true, false))
                        .post("/api/v1/devices/" + unknown + "/state"));
                awaitQueued("device", GROUP + 2, together);
            }

            assertThat(first.get().statusCode()).isEqualTo(200);
            for (CompletableFuture<Response> answer : together) {
                assertThat(answer.get().statusCode())
                        .as(answer.get().asString())
                        .isEqualTo(200);
                assertThat(answer.get().jsonPath().getBoolean("applied")).isTrue();
            }
            // the retired device's own token: its credential went with the retirement
            assertThat(toRetired.get().statusCode()).isEqualTo(401);
            assertThat(toRetired.get().contentType()).startsWith("application/problem+json");
            assertThat(toUnknown.get().statusCode()).isEqualTo(404);
            assertThat(toUnknown.get().contentType()).startsWith("application/problem+json");

            Map<String, String> writers = writingTransactions("managed_device", "device_id", devices);
            assertThat(Map.copyOf(writers).values().stream().distinct())
                    .as("transactions that wrote the %d check-ins", GROUP)
                    .hasSize(1);
            assertThat(writers.values())
                    .doesNotContain(writingTransactions("managed_device", "device_id", List.of(held))
                            .get(held));

            List<String> reported = new ArrayList<>(devices);
            reported.add(held);
            for (String deviceId : reported) {
                probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), Registry.EVENT_TIMEOUT);
            }
            probe.assertNone(
                    DeviceStateReported.class,
                    e -> e.getSubjectId().equals(retired) || e.getSubjectId().equals(unknown),
                    Registry.QUIET);
            Map<String, Long> published = new HashMap<>();
            probe.all().stream()
                    .filter(r -> r.event() instanceof DeviceStateReported)
                    .forEach(r -> published.merge(r.key(), 1L, Long::sum));
            for (String deviceId : reported) {
                assertThat(published.get(deviceId)).as("events of " + deviceId).isEqualTo(1L);
            }
        }
    }

    @Test
    void twoReportsOfOneDeviceInOneGroupAreJudgedInArrivalOrderAndTheNewerStateIsStored() throws Exception {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("xena");
        String held = tenant.device(userId);
        String newerFirst = tenant.device(userId);
        String olderFirst = tenant.device(userId);
        Instant older = Instant.parse("2026-12-01T10:00:00Z");
        Instant newer = Instant.parse("2026-12-01T11:00:00Z");

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            CompletableFuture<Response> first;
            List<CompletableFuture<Response>> queued = new ArrayList<>();
            try (GroupProbe.Hold hold = GroupProbe.Hold.row(dataSource, "managed_device", "device_id", held)) {
                first = async(() -> checkIn(tenant, held, Registry.state("14.1", true, true, false)));
                hold.awaitWaiter();
                // one at a time into the queue, so the group holds them in this order
                queued.add(async(() -> checkIn(tenant, newerFirst, dated("15.0", false, newer))));
                awaitQueued("device", 1, queued);
                queued.add(async(() -> checkIn(tenant, newerFirst, dated("14.0", true, older))));
                awaitQueued("device", 2, queued);
                queued.add(async(() -> checkIn(tenant, olderFirst, dated("14.0", true, older))));
                awaitQueued("device", 3, queued);
                queued.add(async(() -> checkIn(tenant, olderFirst, dated("15.0", false, newer))));
                awaitQueued("device", 4, queued);
            }

            assertThat(first.get().statusCode()).isEqualTo(200);
            for (CompletableFuture<Response> answer : queued) {
                assertThat(answer.get().statusCode())
                        .as(answer.get().asString())
                        .isEqualTo(200);
            }
            assertThat(queued.stream().map(a -> a.join().jsonPath().getBoolean("applied")))
                    .as("applied, in arrival order")
                    .containsExactly(true, false, true, true);
            assertThat(
                            writingTransactions("managed_device", "device_id", List.of(newerFirst, olderFirst))
                                    .values()
                                    .stream()
                                    .distinct())
                    .as("one transaction for the group")
                    .hasSize(1);
            for (String deviceId : List.of(newerFirst, olderFirst)) {
                Response device = tenant.asAdmin().get("/api/v1/devices/" + deviceId);
                assertThat(device.statusCode()).isEqualTo(200);
                assertThat(device.jsonPath().getString("osVersion"))
                        .as(deviceId)
                        .isEqualTo("15.0");
                assertThat(Instant.parse(device.jsonPath().getString("state.reportedAt")))
                        .isEqualTo(newer);
                assertThat(device.jsonPath().getBoolean("state.encrypted")).isFalse();
                assertThat(device.jsonPath().getString("lastContactAt")).isNotNull();
                assertThat(device.jsonPath().getList("state.installedApps.appId"))
                        .containsExactly("com.contoso.mail");
            }
            probe.await(
                    DeviceStateReported.class,
                    e -> e.getSubjectId().equals(olderFirst) && e.getOsVersion().equals("15.0"),
                    Registry.EVENT_TIMEOUT);
            probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(newerFirst), Registry.EVENT_TIMEOUT);
            probe.assertNone(
                    DeviceStateReported.class,
                    e -> e.getSubjectId().equals(newerFirst) && e.getOsVersion().equals("14.0"),
                    Registry.QUIET);
            assertThat(probe.all().stream()
                            .filter(r -> r.event() instanceof DeviceStateReported e
                                    && e.getSubjectId().equals(olderFirst))
                            .count())
                    .as("events of the device whose reports came oldest first")
                    .isEqualTo(2);
        }
    }

    private static Map<String, Object> dated(String osVersion, boolean encrypted, Instant reportedAt) {
        Map<String, Object> state = Registry.state(osVersion, encrypted, true, false);
        state.put("installedApps", List.of(Map.of("appId", "com.contoso.mail", "version", "5.2.0")));
        state.put("reportedAt", reportedAt.toString());
        return state;
    }

    @Test
    void aCheckInThatFailsItsGroupGetsItsOwnErrorAndTheOthersAreStoredAndPublished() throws Exception {
        Registry tenant = Registry.newTenant();
        String userId = tenant.user("uma");
        String held = tenant.device(userId);
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < GROUP; i++) {
            devices.add(tenant.device(userId));
        }
        String poisoned = tenant.device(userId);
        // the report is valid, but its event is larger than this profile's outbox takes: the group's transaction fails
        Map<String, Object> tooLarge = Registry.state("14.2", true, true, false);
        List<Map<String, String>> apps = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            apps.add(Map.of("appId", "com.contoso.line-of-business-app-" + i, "version", "1.0." + i));
        }
        tooLarge.put("installedApps", apps);

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            CompletableFuture<Response> first;
            List<CompletableFuture<Response>> together = new ArrayList<>();
            CompletableFuture<Response> poison;
            try (GroupProbe.Hold hold = GroupProbe.Hold.row(dataSource, "managed_device", "device_id", held)) {
                first = async(() -> checkIn(tenant, held, Registry.state("14.1", true, true, false)));
                hold.awaitWaiter();
                for (String deviceId : devices.subList(0, GROUP / 2)) {
                    together.add(async(() -> checkIn(tenant, deviceId, Registry.state("14.2", true, true, false))));
                }
                poison = async(() -> checkIn(tenant, poisoned, tooLarge));
                for (String deviceId : devices.subList(GROUP / 2, GROUP)) {
                    together.add(async(() -> checkIn(tenant, deviceId, Registry.state("14.2", true, true, false))));
                }
                awaitQueued("device", GROUP + 1, together);
            }

            assertThat(first.get().statusCode()).isEqualTo(200);
            assertThat(poison.get().statusCode()).isEqualTo(413);
            assertThat(poison.get().contentType()).startsWith("application/problem+json");
            for (CompletableFuture<Response> answer : together) {
                assertThat(answer.get().statusCode())
                        .as(answer.get().asString())
                        .isEqualTo(200);
            }
            for (String deviceId : devices) {
                probe.await(DeviceStateReported.class, e -> e.getSubjectId().equals(deviceId), Registry.EVENT_TIMEOUT);
            }
            probe.assertNone(DeviceStateReported.class, e -> e.getSubjectId().equals(poisoned), Registry.QUIET);
            tenant.asAdmin()
                    .get("/api/v1/devices/" + poisoned)
                    .then()
                    .statusCode(200)
                    .body("state", org.hamcrest.Matchers.nullValue());
        }
    }

    @Test
    void concurrentAppCheckInsCommitInOneTransactionAndAnotherUsersInstanceIsForbiddenAlone() throws Exception {
        Registry tenant = Registry.newTenant();
        String owner = tenant.user("vera");
        String stranger = tenant.user("walt");
        String held = register(tenant, owner, "held");
        List<String> instances = new ArrayList<>();
        for (int i = 0; i < GROUP; i++) {
            instances.add(register(tenant, owner, "install-" + i));
        }
        String strangers = register(tenant, stranger, "theirs");

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            CompletableFuture<Response> first;
            List<CompletableFuture<Response>> together = new ArrayList<>();
            CompletableFuture<Response> forbidden;
            try (GroupProbe.Hold hold = GroupProbe.Hold.row(dataSource, "app_instance", "registration_id", held)) {
                first = async(() -> appCheckIn(tenant, owner, held));
                hold.awaitWaiter();
                for (String registrationId : instances) {
                    together.add(async(() -> appCheckIn(tenant, owner, registrationId)));
                }
                forbidden = async(() -> appCheckIn(tenant, owner, strangers));
                awaitQueued("app-instance", GROUP + 1, together);
            }

            assertThat(first.get().statusCode()).isEqualTo(200);
            for (CompletableFuture<Response> answer : together) {
                assertThat(answer.get().statusCode())
                        .as(answer.get().asString())
                        .isEqualTo(200);
            }
            assertThat(forbidden.get().statusCode()).isEqualTo(403);
            assertThat(writingTransactions("app_instance", "registration_id", instances).values().stream()
                            .distinct())
                    .as("transactions that wrote the %d app check-ins", GROUP)
                    .hasSize(1);
            for (String registrationId : instances) {
                probe.await(
                        DeviceStateReported.class,
                        e -> e.getSubjectId().equals(registrationId),
                        Registry.EVENT_TIMEOUT);
            }
        }
    }

    private static Response checkIn(Registry tenant, String deviceId, Map<String, Object> state) {
        return tenant.asDevice(deviceId).body(state).post("/api/v1/devices/" + deviceId + "/state");
    }

    private static Response appCheckIn(Registry tenant, String userId, String registrationId) {
        return tenant.asUser(userId)
                .body(Map.of("osVersion", "17.1", "appVersion", "2.0.0", "pinSet", true, "jailbroken", false))
                .post("/api/v1/app-instances/" + registrationId + "/state");
    }

    private static String register(Registry tenant, String userId, String installationId) {
        return tenant.asUser(userId)
                .body(Map.of(
                        "appId", "com.contoso.mail",
                        "installationId", installationId,
                        "platform", "IOS",
                        "osVersion", "17.1",
                        "appVersion", "2.0.0"))
                .post("/api/v1/app-instances")
                .then()
                .statusCode(201)
                .extract()
                .path("registrationId");
    }

    private CompletableFuture<Response> async(Supplier<Response> call) {
        return CompletableFuture.supplyAsync(call, clients);
    }

    private void awaitQueued(String subject, int count, List<CompletableFuture<Response>> answered) {
        GroupProbe.awaitQueued(meters, "bulwark.registry.check-ins.queued", subject, count, answered);
    }

    private Map<String, String> writingTransactions(String table, String idColumn, List<String> ids)
            throws SQLException {
        return GroupProbe.writingTransactions(dataSource, table, idColumn, ids);
    }
}
