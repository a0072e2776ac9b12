package dev.bulwark.policy.bench;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.ConfigurationProfileStatus;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How fast policy-service applies managed devices' check-ins carrying configuration profile outcomes (not a timed
 * test: excluded from the default build, run on demand with {@code mvn -o -pl policy-service test -Pbenchmark}). It
 * runs policy-service in the test JVM on the test resource's real Kafka and PostgreSQL, seeds {@code bench.devices}
 * managed devices each holding {@code bench.profiles} PENDING profiles straight into the database, then publishes
 * {@code bench.rounds} check-ins per device straight onto {@code bulwark.devices.v1} (each reporting every profile;
 * the last round FAILED with a marker reason) and waits until every row carries the marker: a device's check-ins share
 * its key, so by then every check-in before has been applied. A warm-up round goes first, untimed.
 *
 * <p>The anchor, measured in the same run on the same PostgreSQL: the least a consumer must write per event — one inbox
 * row and its profile rows — in JDBC batches, 500 events per transaction. Load averages are printed with every figure.
 * {@code bench.profile=/path/flame.html} profiles this JVM with async-profiler for the timed part only (wall clock,
 * every thread) and writes the flame graph there.
 */
@Tag("benchmark")
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class DeviceConsumerBenchmark {

    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final int devices = Integer.getInteger("bench.devices", 1_000);
    private final int profiles = Integer.getInteger("bench.profiles", 2);
    private final int rounds = Integer.getInteger("bench.rounds", 5);
    private final String flameGraph = System.getProperty("bench.profile", "");

    private final String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    AgroalDataSource database;

    @Test
    void checkInsWithProfileOutcomesAppliedPerSecond() throws Exception {
        seed();
        System.out.printf("seeded %,d devices x %d PENDING profiles; load %s%n", devices, profiles, load());
        try (KafkaProducer<String, byte[]> producer = producer()) {
            publishRound(producer, 0, ConfigurationProfileState.FAILED, "warm-up");
            awaitMarked("warm-up");
            System.out.printf("warm-up: %,d check-ins applied; load %s%n", devices, load());

            profiler("start,event=wall,interval=5ms");
            long start = System.nanoTime();
            for (int round = 1; round < rounds; round++) {
                publishRound(producer, round, ConfigurationProfileState.APPLIED, null);
            }
            publishRound(producer, rounds, ConfigurationProfileState.FAILED, "bench-done");
            long sent = System.nanoTime();
            awaitMarked("bench-done");
            long done = System.nanoTime();
            profiler("stop,file=" + flameGraph);
            int checkIns = devices * rounds;
            double seconds = (done - start) / 1e9;
            double perSecond = checkIns / seconds;
            System.out.printf(
                    "policy-service: %,d check-ins (%,d profile outcomes) sent in %.1f s, all applied after %.1f s:"
                            + " %,.0f check-ins/s; load %s%n",
                    checkIns, checkIns * profiles, (sent - start) / 1e9, seconds, perSecond, load());

            double anchor = anchor(checkIns);
            System.out.printf(
                    "anchor (JDBC: inbox row + %d profile rows per event, 500 events per transaction): %,.0f events/s;"
                            + " policy-service at %.2fx the anchor; load %s%n",
                    profiles, anchor, perSecond / anchor, load());
        }
    }

    /** Devices and their PENDING profile rows, written straight into policy-service's tables. */
    private void seed() throws SQLException {
        try (Connection connection = database.getConnection()) {
            try (PreparedStatement devicesRows = connection.prepareStatement(
                    "insert into managed_device (tenant_id, device_id, user_id, platform, retired, changed_at)"
                            + " select ?, 'device-' || g, 'user-' || g, 'ANDROID', false, now()"
                            + " from generate_series(0, ? - 1) g")) {
                devicesRows.setString(1, tenant);
                devicesRows.setInt(2, devices);
                devicesRows.executeUpdate();
            }
            try (PreparedStatement deliveryRows = connection.prepareStatement(
                    "insert into profile_delivery (tenant_id, device_id, profile_id, profile_type, status,"
                            + " delivered_version, delivered_settings, command_id, updated_at)"
                            + " select ?, 'device-' || g, 'profile-' || p, 'WIFI', 'PENDING', 1, '{}', 'seeded', now()"
                            + " from generate_series(0, ? - 1) g, generate_series(0, ? - 1) p")) {
                deliveryRows.setString(1, tenant);
                deliveryRows.setInt(2, devices);
                deliveryRows.setInt(3, profiles);
                deliveryRows.executeUpdate();
            }
        }
    }

    private void publishRound(
            KafkaProducer<String, byte[]> producer, int round, ConfigurationProfileState state, String reason) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(round);
        for (int d = 0; d < devices; d++) {
            String device = "device-" + d;
            List<ConfigurationProfileStatus> outcomes = new ArrayList<>();
            for (int p = 0; p < profiles; p++) {
                outcomes.add(ConfigurationProfileStatus.newBuilder()
                        .setProfileId("profile-" + p)
                        .setVersion(1)
                        .setState(state)
                        .setReason(reason)
                        .build());
            }
            DeviceStateReported report = DeviceStateReported.newBuilder()
                    .setEventId(Envelope.newEventId())
                    .setOccurredAt(at)
                    .setTenantId(tenant)
                    .setSubjectId(device)
                    .setManagementType(ManagementType.MANAGED)
                    .setUserId("user-" + d)
                    .setPlatform(Platform.ANDROID)
                    .setOsVersion("14")
                    .setEncrypted(true)
                    .setPasscodeSet(true)
                    .setJailbroken(false)
                    .setInstalledApps(List.of())
                    .setAppId(null)
                    .setAppVersion(null)
                    .setPinSet(null)
                    .setLastContactAt(at)
                    .setConfigurationProfiles(outcomes)
                    .setSelectiveWipeResults(List.of())
                    .build();
            producer.send(new ProducerRecord<>(
                    Topics.DEVICES,
                    null,
                    device,
                    EventCodec.encode(report),
                    CloudEventHeaders.toKafka(CloudEventHeaders.of(report, "benchmark", device))));
        }
        producer.flush();
    }

    /** Waits until every profile row of the tenant carries {@code reason} (the last check-in of each device applied). */
    private void awaitMarked(String reason) {
        long expected = (long) devices * profiles;
        Awaitility.await("all check-ins applied within " + TIMEOUT)
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> count(reason) >= expected);
    }

    private long count(String reason) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "select count(*) from profile_delivery where tenant_id = ? and reason = ?")) {
            statement.setString(1, tenant);
            statement.setString(2, reason);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Events per second of the least work per event, in the same database: see the class comment. */
    private double anchor(int events) throws SQLException {
        String anchorTenant = tenant + "-anchor";
        long start = System.nanoTime();
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement inbox = connection.prepareStatement(
                            "insert into processed_event (consumer, event_id) values ('bench-anchor', ?)");
                    PreparedStatement rows = connection.prepareStatement(
                            "insert into profile_delivery (tenant_id, device_id, profile_id, profile_type, status,"
                                    + " delivered_version, reported_version, command_id, reported_at, updated_at)"
                                    + " values (?, ?, ?, 'WIFI', 'APPLIED', 1, 1, 'anchor', now(), now())"
                                    + " on conflict (tenant_id, device_id, profile_id) do update set"
                                    + " status = excluded.status, reported_at = excluded.reported_at")) {
                for (int e = 0; e < events; e++) {
                    inbox.setString(1, UUID.randomUUID().toString());
                    inbox.addBatch();
                    for (int p = 0; p < profiles; p++) {
                        rows.setString(1, anchorTenant);
                        rows.setString(2, "device-" + (e % devices));
                        rows.setString(3, "profile-" + p);
                        rows.addBatch();
                    }
                    if ((e + 1) % 500 == 0 || e == events - 1) {
                        inbox.executeBatch();
                        rows.executeBatch();
                        connection.commit();
                    }
                }
            }
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Runs an async-profiler command in this JVM when a flame graph was asked for (the {@code benchmark} profile puts
     * async-profiler's jar, with its native library, on the test classpath; reflection keeps the ordinary build free of
     * it).
     */
    private void profiler(String command) throws ReflectiveOperationException, IOException {
        if (flameGraph.isBlank()) {
            return;
        }
        Files.createDirectories(Path.of(flameGraph).toAbsolutePath().getParent());
        Class<?> asyncProfiler = Class.forName("one.profiler.AsyncProfiler");
        Object profiler = asyncProfiler.getMethod("getInstance").invoke(null);
        System.out.printf(
                "async-profiler %s: %s%n",
                command, asyncProfiler.getMethod("execute", String.class).invoke(profiler, command));
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BulwarkInfra.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName()));
    }
}
