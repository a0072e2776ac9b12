package dev.bulwark.registry.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.DeviceEnrolled;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Enrollments and app registrations that arrive together commit together, as check-ins do: the join storm's front
 * door. The test holds the advisory lock of one request's key (the hardware, the registration) from its own
 * connection; the one committer waits on it with that request, the others queue meanwhile and are applied in the next
 * transaction once the lock is let go. PostgreSQL tells which transaction inserted a row ({@code xmin}).
 */
@QuarkusTest
@TestProfile(QuietRelayProfile.class)
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class JoinGroupCommitTest {

    private static final int GROUP = 8;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry meters;

    private final ExecutorService clients = Executors.newFixedThreadPool(GROUP + 6);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void enrollmentsArrivingTogetherCommitInOneTransactionAndEachRefusalIsItsOwn() throws Exception {
        Registry tenant = Registry.newTenant();
        String tess = tenant.user("tess");
        String other = tenant.user("otto");
        String hardwareOfOtto = "hw-otto-" + java.util.UUID.randomUUID();
        enroll(tenant, other, hardwareOfOtto).then().statusCode(201);
        String held = "hw-held-" + java.util.UUID.randomUUID();
        String twice = "hw-twice-" + java.util.UUID.randomUUID();

        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            CompletableFuture<Response> first;
            List<CompletableFuture<Response>> together = new ArrayList<>();
            CompletableFuture<Response> firstOfTwice;
            CompletableFuture<Response> secondOfTwice;
            CompletableFuture<Response> unknownUser;
            CompletableFuture<Response> someoneElses;
            try (GroupProbe.Hold hold = GroupProbe.Hold.key(dataSource, "hardware", tenant.tenantId, held)) {
                first = async(() -> enroll(tenant, tess, held));
                hold.awaitWaiter();
                for (int i = 0; i < GROUP; i++) {
                    String hardware = "hw-" + i + "-" + java.util.UUID.randomUUID();
                    together.add(async(() -> enroll(tenant, tess, hardware)));
                }
                awaitQueued("device", GROUP, together);
                firstOfTwice = async(() -> enroll(tenant, tess, twice));
                awaitQueued("device", GROUP + 1, List.of(firstOfTwice));
                secondOfTwice = async(() -> enroll(tenant, tess, twice));
                unknownUser = async(() -> enroll(tenant, "nobody", "hw-nobody"));
                someoneElses = async(() -> enroll(tenant, tess, hardwareOfOtto));
                awaitQueued("device", GROUP + 4, List.of(secondOfTwice, unknownUser, someoneElses));
            }

            assertThat(first.get().statusCode()).isEqualTo(201);
            List<String> enrolled = new ArrayList<>();
            for (CompletableFuture<Response> answer : together) {
                assertThat(answer.get().statusCode())
                        .as(answer.get().asString())
                        .isEqualTo(201);
                enrolled.add(answer.get().jsonPath().getString("deviceId"));
            }
            assertThat(firstOfTwice.get().statusCode()).isEqualTo(201);
            assertThat(secondOfTwice.get().statusCode())
                    .as("the same hardware again in the same group: the device the first created")
                    .isEqualTo(200);
            String twiceDevice = firstOfTwice.get().jsonPath().getString("deviceId");
            assertThat(secondOfTwice.get().jsonPath().getString("deviceId")).isEqualTo(twiceDevice);
            assertThat(unknownUser.get().statusCode()).isEqualTo(422);
            assertThat(unknownUser.get().contentType()).startsWith("application/problem+json");
            assertThat(unknownUser.get().asString()).contains("userId");
            assertThat(someoneElses.get().statusCode()).isEqualTo(409);
            assertThat(someoneElses.get().contentType()).startsWith("application/problem+json");

            enrolled.add(twiceDevice);
            Map<String, String> writers = writingTransactions("managed_device", "device_id", enrolled);
            assertThat(writers.values().stream().distinct())
                    .as("transactions that inserted the %d enrollments of the group", enrolled.size())
                    .hasSize(1);
            String firstDevice = first.get().jsonPath().getString("deviceId");
            assertThat(writers.values())
                    .doesNotContain(writingTransactions("managed_device", "device_id", List.of(firstDevice))
                            .get(firstDevice));
            assertThat(count(
                            "select count(*) from managed_device where tenant_id = ? and hardware_id = 'hw-nobody'",
                            tenant.tenantId))
                    .isZero();

            enrolled.add(firstDevice);
            for (String deviceId : enrolled) {
                probe.await(DeviceEnrolled.class, e -> e.getDeviceId().equals(deviceId), Registry.EVENT_TIMEOUT);
            }
            probe.assertNone(
                    DeviceEnrolled.class,
                    e -> e.getTenantId().equals(tenant.tenantId)
                            && (e.getUserId().equals("nobody")
                                    || (e.getUserId().equals(tess)
                                            && e.getHardwareId().equals(hardwareOfOtto))),
                    Registry.QUIET);
            Map<String, Long> published = new HashMap<>();
            probe.all().stream()
                    .filter(r -> r.event() instanceof DeviceEnrolled)
                    .forEach(r -> published.merge(r.key(), 1L, Long::sum));
            for (String deviceId : enrolled) {
                assertThat(published.get(deviceId))
                        .as("DeviceEnrolled of " + deviceId)
                        .isEqualTo(1L);
            }
        }
    }

    @Test
    void registrationsArrivingTogetherCommitInOneTransactionAndEachRefusalIsItsOwn() throws Exception {
        Registry tenant = Registry.newTenant();
        String vera = tenant.user("vera");
        String walt = tenant.user("walt");
        String waltsDevice = tenant.device(walt);
        String held = register(tenant, vera, "held", null)
                .then()
                .statusCode(201)
                .extract()
                .path("registrationId");
        // registering again returns the row; the lock is taken before the lookup, so it waits on the held key
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.DEVICES)) {
            CompletableFuture<Response> again;
            List<CompletableFuture<Response>> together = new ArrayList<>();
            CompletableFuture<Response> firstOfTwice;
            CompletableFuture<Response> secondOfTwice;
            CompletableFuture<Response> notHisDevice;
            try (GroupProbe.Hold hold = GroupProbe.Hold.key(dataSource, "app-instance", tenant.tenantId, held)) {
                again = async(() -> register(tenant, vera, "held", null));
                hold.awaitWaiter();
                for (int i = 0; i < GROUP; i++) {
                    String installation = "install-" + i;
                    together.add(async(() -> register(tenant, vera, installation, null)));
                }
                awaitQueued("app-instance", GROUP, together);
                firstOfTwice = async(() -> register(tenant, vera, "twice", null));
                awaitQueued("app-instance", GROUP + 1, List.of(firstOfTwice));
                secondOfTwice = async(() -> register(tenant, vera, "twice", null));
                notHisDevice = async(() -> register(tenant, vera, "on-walts-device", waltsDevice));
                awaitQueued("app-instance", GROUP + 3, List.of(secondOfTwice, notHisDevice));
            }

            assertThat(again.get().statusCode()).isEqualTo(200);
            assertThat(again.get().jsonPath().getString("registrationId")).isEqualTo(held);
            List<String> registered = new ArrayList<>();
            for (CompletableFuture<Response> answer : together) {
                assertThat(answer.get().statusCode())
                        .as(answer.get().asString())
                        .isEqualTo(201);
                registered.add(answer.get().jsonPath().getString("registrationId"));
            }
            assertThat(firstOfTwice.get().statusCode()).isEqualTo(201);
            assertThat(secondOfTwice.get().statusCode()).isEqualTo(200);
            String twice = firstOfTwice.get().jsonPath().getString("registrationId");
            assertThat(secondOfTwice.get().jsonPath().getString("registrationId"))
                    .isEqualTo(twice);
            assertThat(notHisDevice.get().statusCode()).isEqualTo(422);
            assertThat(notHisDevice.get().contentType()).startsWith("application/problem+json");
            assertThat(notHisDevice.get().asString()).contains("deviceId");

            registered.add(twice);
            assertThat(writingTransactions("app_instance", "registration_id", registered).values().stream()
                            .distinct())
                    .as("transactions that inserted the %d registrations of the group", registered.size())
                    .hasSize(1);
            assertThat(count(
                            "select count(*) from app_instance where tenant_id = ? and installation_id = 'on-walts-device'",
                            tenant.tenantId))
                    .isZero();

            for (String registrationId : registered) {
                probe.await(
                        AppInstanceRegistered.class,
                        e -> e.getRegistrationId().equals(registrationId),
                        Registry.EVENT_TIMEOUT);
            }
            probe.assertNone(
                    AppInstanceRegistered.class,
                    e -> e.getRegistrationId().equals(held)
                            || e.getInstallationId().equals("on-walts-device"),
                    Registry.QUIET);
            assertThat(probe.all().stream()
                            .filter(r -> r.event() instanceof AppInstanceRegistered e
                                    && e.getRegistrationId().equals(twice))
                            .count())
                    .as("AppInstanceRegistered of the installation registered twice")
                    .isEqualTo(1);
        }
    }

    private static Response enroll(Registry tenant, String userId, String hardwareId) {
        return tenant.asAdmin()
                .body(Registry.enrollment(userId, "ANDROID", "14.1", hardwareId))
                .post("/api/v1/devices");
    }

    private static Response register(Registry tenant, String userId, String installationId, String deviceId) {
        Map<String, Object> body = new HashMap<>();
        body.put("appId", "com.contoso.mail");
        body.put("installationId", installationId);
        body.put("platform", "IOS");
        body.put("osVersion", "17.1");
        body.put("appVersion", "2.0.0");
        if (deviceId != null) {
            body.put("deviceId", deviceId);
        }
        return tenant.asUser(userId).body(body).post("/api/v1/app-instances");
    }

    private CompletableFuture<Response> async(Supplier<Response> call) {
        return CompletableFuture.supplyAsync(call, clients);
    }

    private void awaitQueued(String subject, int count, List<CompletableFuture<Response>> answered) {
        GroupProbe.awaitQueued(meters, "bulwark.registry.joins.queued", subject, count, answered);
    }

    private long count(String sql, String tenantId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, tenantId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Map<String, String> writingTransactions(String table, String idColumn, List<String> ids)
            throws SQLException {
        return GroupProbe.writingTransactions(dataSource, table, idColumn, ids);
    }
}
