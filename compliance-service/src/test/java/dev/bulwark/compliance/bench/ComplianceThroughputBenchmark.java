package dev.bulwark.compliance.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.Target;
import dev.bulwark.events.TargetKind;
import dev.bulwark.events.UserLicenseChanged;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures compliance-service alone, against a running one (not a timed test: excluded from the default build, run on
 * demand with {@code -Pbenchmark}). The benchmark plays device-registry and policy-service: it publishes, for a fresh
 * tenant, licences, an app protection policy (minimum app version 5.0, remediation off) and app instances straight onto
 * the topics, then check-ins of those app instances, and watches {@code bulwark.signout.v1} as an outside consumer.
 *
 * <ol>
 *   <li><b>Throughput</b>: {@code bench.burst} compliant check-ins as fast as the producer goes, then, on every
 *       partition of {@code bulwark.devices.v1}, one non-compliant check-in of a sentinel subject. Order holds per
 *       partition, so when every sentinel's SignOutRequired has arrived every check-in before it has been evaluated:
 *       reports/s = reports / (last sentinel's sign-out − first send).
 *   <li><b>Latency</b>: check-ins at {@code bench.rate} per second for {@code bench.duration}, every
 *       {@code bench.failing-every}-th one a first non-compliant check-in of its subject; for each, the time from the
 *       send to its SignOutRequired received on the topic. Percentiles printed.
 * </ol>
 *
 * <p>Settings: {@code bench.kafka} (127.0.0.1:19092, the local stack's broker), {@code bench.subjects} (2,000
 * compliant subjects), {@code bench.burst} (20,000), {@code bench.rate} (2,000), {@code bench.duration} (PT20S),
 * {@code bench.failing-every} (20).
 */
@Tag("benchmark")
class ComplianceThroughputBenchmark {

    private static final String MAIL = "com.contoso.mail";
    /** The app of the fan-out benchmark's bystanders, so their policy does not reach the group's mail apps. */
    private static final String CHAT = "com.contoso.chat";

    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(10);

    private final String kafka = System.getProperty("bench.kafka", "127.0.0.1:19092");
    private final int subjects = Integer.getInteger("bench.subjects", 2_000);
    private final int burst = Integer.getInteger("bench.burst", 20_000);
    private final int rate = Integer.getInteger("bench.rate", 2_000);
    private final Duration duration = Duration.parse(System.getProperty("bench.duration", "PT20S"));
    private final int failingEvery = Integer.getInteger("bench.failing-every", 20);

    private final String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Long> signOutReceivedNanos = new ConcurrentHashMap<>();

    @Test
    void reportsPerSecondAndTimeFromANonCompliantReportToSignOut() throws Exception {
        int partitions = Topics.DEVICES_PARTITIONS;
        int latencyFailures = (int) (rate * duration.toSeconds() / failingEvery);
        List<String> sentinels = sentinelsOnEveryPartition(partitions);
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < latencyFailures; i++) {
            fresh.add("reg-" + tenant + "-fresh-" + i);
        }
        List<String> steady = new ArrayList<>();
        for (int i = 0; i < subjects; i++) {
            steady.add("reg-" + tenant + "-" + i);
        }

        AtomicBoolean listening = new AtomicBoolean(true);
        Thread listener = new Thread(() -> listen(listening), "sign-out-listener");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            listener.start();
            List<String> all = new ArrayList<>(steady);
            all.addAll(sentinels);
            all.addAll(fresh);
            Instant setUp = Instant.now();
            for (String subject : all) {
                send(producer, Topics.DIRECTORY, userOf(subject), licence(userOf(subject)));
            }
            send(producer, Topics.POLICIES, "policy-" + tenant, policy());
            for (String subject : all) {
                send(producer, Topics.DEVICES, subject, registered(subject));
            }
            producer.flush();
            // A canary proves the set-up is consumed: its sign-out needs its licence, the policy and its registration.
            String canary = "reg-" + tenant + "-canary";
            send(producer, Topics.DIRECTORY, userOf(canary), licence(userOf(canary)));
            send(producer, Topics.DEVICES, canary, registered(canary));
            send(producer, Topics.DEVICES, canary, report(canary, "4.0"));
            producer.flush();
            awaitSignOuts(List.of(canary), SETTLE_TIMEOUT);
            System.out.printf(
                    "set-up: %,d app instances and licences consumed in %.1f s%n",
                    all.size(), seconds(Duration.between(setUp, Instant.now())));

            // 1. Throughput.
            long start = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                String subject = steady.get(i % steady.size());
                send(producer, Topics.DEVICES, subject, report(subject, "5.1"));
            }
            for (String sentinel : sentinels) {
                send(producer, Topics.DEVICES, sentinel, report(sentinel, "4.0"));
            }
            producer.flush();
            long sent = System.nanoTime();
            awaitSignOuts(sentinels, SETTLE_TIMEOUT);
            long last = sentinels.stream()
                    .mapToLong(signOutReceivedNanos::get)
                    .max()
                    .orElseThrow();
            double elapsed = (last - start) / 1e9;
            System.out.printf(
                    "throughput: %,d check-ins (+%d sentinels) sent in %.1f s, all evaluated after %.1f s: %,.0f reports/s%n",
                    burst, sentinels.size(), (sent - start) / 1e9, elapsed, (burst + sentinels.size()) / elapsed);

            // 2. Latency at a fixed rate.
            Map<String, Long> sentNanos = new ConcurrentHashMap<>();
            long intervalNanos = 1_000_000_000L / rate;
            int total = (int) (rate * duration.toSeconds());
            long phaseStart = System.nanoTime();
            int failing = 0;
            for (int i = 0; i < total; i++) {
                long due = phaseStart + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (i % failingEvery == failingEvery - 1 && failing < fresh.size()) {
                    String subject = fresh.get(failing++);
                    sentNanos.put(subject, System.nanoTime());
                    send(producer, Topics.DEVICES, subject, report(subject, "4.0"));
                } else {
                    String subject = steady.get(i % steady.size());
                    send(producer, Topics.DEVICES, subject, report(subject, "5.1"));
                }
            }
            producer.flush();
            double achieved = total / ((System.nanoTime() - phaseStart) / 1e9);
            List<String> awaited = new ArrayList<>(sentNanos.keySet());
            awaitSignOuts(awaited, SETTLE_TIMEOUT);
            long[] latencies = awaited.stream()
                    .mapToLong(s -> signOutReceivedNanos.get(s) - sentNanos.get(s))
                    .sorted()
                    .toArray();
            System.out.printf(
                    "latency at %,d reports/s offered (%,.0f/s sent), %d non-compliant: report -> SignOutRequired"
                            + " p50=%d ms p90=%d ms p99=%d ms max=%d ms%n",
                    rate,
                    achieved,
                    latencies.length,
                    millis(percentile(latencies, 50)),
                    millis(percentile(latencies, 90)),
                    millis(percentile(latencies, 99)),
                    millis(latencies[latencies.length - 1]));
            assertThat(latencies).hasSize(failing);
        } finally {
            listening.set(false);
            listener.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /**
     * A policy change that reaches a group of {@code bench.fanout-users} users (100,000), each with one app instance
     * that has checked in. Seeding that many subjects through the topics would take longer than the measurement, so
     * the projections (licences, group members, app instances, compliant subjects) are bulk-inserted with SQL into
     * compliance-service's database first; what is measured then runs through the service as in production: the
     * PolicyChanged on the topic, the re-evaluation of every subject, the events. One subject in a thousand runs an app
     * older than the policy's minimum and must be signed out. While the fan-out runs, check-ins of other subjects keep
     * coming (10/s, each a first non-compliant one) and their time to SignOutRequired shows whether the fan-out
     * blocks the flow of state reports.
     */
    @Test
    void aPolicyChangeReachingAGroupOfAHundredThousandUsers() throws Exception {
        int users = Integer.getInteger("bench.fanout-users", 100_000);
        String jdbc = System.getProperty("bench.jdbc", "jdbc:postgresql://127.0.0.1:15432/compliance_service");
        String group = "grp-" + tenant;
        List<String> bystanders = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            bystanders.add("reg-" + tenant + "-bystander-" + i);
        }
        AtomicBoolean listening = new AtomicBoolean(true);
        Thread listener = new Thread(() -> listen(listening), "sign-out-listener");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            listener.start();
            // The bystanders: licensed, registered, their chat app targeted by a policy of its own (all users, 5.0).
            send(producer, Topics.POLICIES, "policy-chat-" + tenant, chatPolicy());
            for (String subject : bystanders) {
                send(producer, Topics.DIRECTORY, userOf(subject), licence(userOf(subject)));
                send(producer, Topics.DEVICES, subject, registered(subject));
            }
            String canary = bystanders.remove(bystanders.size() - 1);
            send(producer, Topics.DEVICES, canary, report(canary, "4.0"));
            producer.flush();
            awaitSignOuts(List.of(canary), SETTLE_TIMEOUT);

            List<String> old = new ArrayList<>();
            try (Connection db =
                    DriverManager.getConnection(jdbc, System.getProperty("bench.db-user", "postgres"), "")) {
                Instant seeding = Instant.now();
                seed(db, users, group);
                try (var query = db.prepareStatement(
                        "select registration_id from app_instance where tenant_id = ? and app_id = '" + MAIL
                                + "' and app_version = '4.0'")) {
                    query.setString(1, tenant);
                    try (var rows = query.executeQuery()) {
                        while (rows.next()) {
                            old.add(rows.getString(1));
                        }
                    }
                }
                System.out.printf(
                        "fan-out set-up: %,d users, app instances and subjects inserted in %.1f s (%d on an old app)%n",
                        users, seconds(Duration.between(seeding, Instant.now())), old.size());
            }

            Map<String, Long> sentNanos = new ConcurrentHashMap<>();
            AtomicBoolean reporting = new AtomicBoolean(true);
            Thread reporter = new Thread(
                    () -> {
                        for (String subject : bystanders) {
                            if (!reporting.get()) {
                                return;
                            }
                            sentNanos.put(subject, System.nanoTime());
                            send(producer, Topics.DEVICES, subject, report(subject, "4.0"));
                            producer.flush();
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                        }
                    },
                    "bystander-check-ins");

            long start = System.nanoTime();
            send(producer, Topics.POLICIES, "policy-fanout-" + tenant, fanOutPolicy(group));
            producer.flush();
            reporter.start();
            awaitSignOuts(old, SETTLE_TIMEOUT);
            long first = old.stream().mapToLong(signOutReceivedNanos::get).min().orElseThrow();
            long last = old.stream().mapToLong(signOutReceivedNanos::get).max().orElseThrow();
            reporting.set(false);
            reporter.join();
            List<String> reported = new ArrayList<>(sentNanos.keySet());
            awaitSignOuts(reported, SETTLE_TIMEOUT);
            long[] latencies = reported.stream()
                    .mapToLong(s -> signOutReceivedNanos.get(s) - sentNanos.get(s))
                    .sorted()
                    .toArray();
            System.out.printf(
                    "fan-out: policy change over %,d users: first sign-out after %.1f s, all %d after %.1f s%n",
                    users, (first - start) / 1e9, old.size(), (last - start) / 1e9);
            System.out.printf(
                    "during the fan-out: %d check-ins of other subjects, report -> SignOutRequired p50=%d ms p99=%d ms"
                            + " max=%d ms%n",
                    latencies.length,
                    millis(percentile(latencies, 50)),
                    millis(percentile(latencies, 99)),
                    millis(latencies[latencies.length - 1]));
        } finally {
            listening.set(false);
            listener.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Users licensed and in the group, each with one app instance that checked in compliant; one in 1,000 on 4.0. */
    private void seed(Connection db, int users, String group) throws SQLException {
        db.setAutoCommit(false);
        try (var insert = db.createStatement()) {
            String ids = "from generate_series(0, " + (users - 1) + ") as n";
            String user = "'user-" + tenant + "-g' || n";
            insert.execute("insert into directory_user (tenant_id, user_id, licensed, sku, changed_at) select '"
                    + tenant + "', " + user + ", true, 'BULWARK_E3', now() " + ids);
            insert.execute("insert into group_member (tenant_id, group_id, group_kind, member_id, present, changed_at)"
                    + " select '" + tenant + "', '" + group + "', 'USER', " + user + ", true, now() " + ids);
            insert.execute("insert into app_instance (tenant_id, registration_id, user_id, app_id, platform,"
                    + " os_version, app_version, pin_set, jailbroken, registered_at, last_reported_at, updated_at)"
                    + " select '" + tenant + "', 'reg-" + tenant + "-g' || n, " + user + ", '" + MAIL + "', 'IOS',"
                    + " '17.5', case when n % 1000 = 999 then '4.0' else '5.1' end, true, false, now(), now(), now() "
                    + ids);
            insert.execute("insert into compliance_subject (tenant_id, subject_id, management_type, user_id, app_id,"
                    + " state, violations, since, updated_at) select '" + tenant + "', 'reg-" + tenant + "-g' || n,"
                    + " 'UNMANAGED', " + user + ", '" + MAIL + "', 'COMPLIANT', '[]', now(), now() " + ids);
        }
        db.commit();
    }

    private PolicyChanged fanOutPolicy(String group) {
        return PolicyChanged.newBuilder(policy())
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setPolicyId("policy-fanout-" + tenant)
                .setName("benchmark: the group's mail 5.0 or newer")
                .setTargets(List.of(Target.newBuilder()
                        .setKind(TargetKind.USER_GROUP)
                        .setGroupId(group)
                        .setExcluded(false)
                        .build()))
                .build();
    }

    /** One subject id per partition of the devices topic, found with the producer's own key hashing. */
    private List<String> sentinelsOnEveryPartition(int partitions) {
        List<String> found = new ArrayList<>(Arrays.asList(new String[partitions]));
        Set<Integer> missing = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            missing.add(p);
        }
        for (int i = 0; !missing.isEmpty(); i++) {
            String candidate = "reg-" + tenant + "-sentinel-" + i;
            int partition = Utils.toPositive(Utils.murmur2(candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    % partitions;
            if (missing.remove(partition)) {
                found.set(partition, candidate);
            }
        }
        return found;
    }

    private void awaitSignOuts(List<String> subjectIds, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!signOutReceivedNanos.keySet().containsAll(subjectIds)) {
            if (Instant.now().isAfter(deadline)) {
                long missing = subjectIds.stream()
                        .filter(s -> !signOutReceivedNanos.containsKey(s))
                        .count();
                throw new AssertionError(missing + " of " + subjectIds.size() + " sign-outs missing after " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private void listen(AtomicBoolean listening) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka,
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(Topics.SIGNOUT));
            while (listening.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (EventCodec.decode(record.value()) instanceof SignOutRequired signOut
                            && signOut.getTenantId().equals(tenant)) {
                        signOutReceivedNanos.putIfAbsent(signOut.getSubjectId(), now);
                    }
                }
            }
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka,
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

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, SpecificRecord event) {
        producer.send(new ProducerRecord<>(
                topic,
                null,
                key,
                EventCodec.encode(event),
                CloudEventHeaders.toKafka(CloudEventHeaders.of(event, "benchmark", key))));
    }

    private static String appOf(String subject) {
        return subject.contains("-bystander-") ? CHAT : MAIL;
    }

    private PolicyChanged chatPolicy() {
        return PolicyChanged.newBuilder(policy())
                .setEventId(Envelope.newEventId())
                .setPolicyId("policy-chat-" + tenant)
                .setName("benchmark: chat 5.0 or newer")
                .setSettingsJson("{\"appIds\": [\"" + CHAT + "\"], \"settings\": {\"minimumAppVersion\": {\"block\":"
                        + " \"5.0\"}, \"remediationEnabled\": false}}")
                .build();
    }

    private static String userOf(String subject) {
        return "user-" + subject.substring("reg-".length());
    }

    private UserLicenseChanged licence(String userId) {
        return UserLicenseChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setUserId(userId)
                .setLicensed(true)
                .setSku("BULWARK_E3")
                .build();
    }

    private PolicyChanged policy() {
        return PolicyChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setPolicyId("policy-" + tenant)
                .setPolicyKind(PolicyKind.APP_PROTECTION)
                .setChange(ChangeKind.CREATED)
                .setVersion(1)
                .setName("benchmark: mail 5.0 or newer")
                .setPlatform(Platform.IOS)
                .setTargets(List.of(Target.newBuilder()
                        .setKind(TargetKind.ALL_USERS)
                        .setGroupId(null)
                        .setExcluded(false)
                        .build()))
                .setSettingsJson("{\"appIds\": [\"" + MAIL + "\"], \"settings\": {\"minimumAppVersion\": {\"block\":"
                        + " \"5.0\"}, \"remediationEnabled\": false}}")
                .build();
    }

    private AppInstanceRegistered registered(String subject) {
        return AppInstanceRegistered.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setRegistrationId(subject)
                .setUserId(userOf(subject))
                .setAppId(appOf(subject))
                .setInstallationId("install-" + subject)
                .setPlatform(Platform.IOS)
                .setOsVersion("17.5")
                .setAppVersion("5.1")
                .setDeviceId(null)
                .setManagementType(ManagementType.UNMANAGED)
                .build();
    }

    private DeviceStateReported report(String subject, String appVersion) {
        Instant now = Instant.now();
        return DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(tenant)
                .setSubjectId(subject)
                .setManagementType(ManagementType.UNMANAGED)
                .setUserId(userOf(subject))
                .setPlatform(Platform.IOS)
                .setOsVersion("17.5")
                .setJailbroken(false)
                .setAppId(appOf(subject))
                .setAppVersion(appVersion)
                .setPinSet(true)
                .setLastContactAt(now)
                .build();
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
