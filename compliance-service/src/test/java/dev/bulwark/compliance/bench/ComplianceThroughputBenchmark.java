package dev.bulwark.compliance.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.DeviceEnrolled;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
 * tenant, licences, an app protection policy (minimum app version 5.0, remediation off), a device compliance policy
 * (iOS 17.0 or newer, no grace period), app instances and enrolled managed devices straight onto the topics, then
 * check-ins of those subjects, and watches {@code bulwark.signout.v1} as an outside consumer.
 *
 * <ol>
 *   <li><b>Throughput</b>, three bursts: unmanaged check-ins only, managed only, then both mixed (alternating). Each is
 *       {@code bench.burst} compliant check-ins as fast as the producer goes, then, on every partition of
 *       {@code bulwark.devices.v1}, one non-compliant check-in of a sentinel subject (of both kinds in the mixed
 *       burst). Order holds per partition, so when every sentinel's SignOutRequired has arrived every check-in before
 *       it has been evaluated: reports/s = reports / (last sentinel's sign-out − first send). The first burst of each
 *       kind also creates the subjects (their first check-in).
 *   <li><b>Anchor</b>: the mixed burst's records consumed again on the same broker by a bare Kafka consumer that
 *       decodes each, re-encodes it and produces it to a topic of its own (acks=all, offsets committed per poll): what
 *       consume-transform-produce does here without a database. The mixed burst is printed as a share of it.
 *   <li><b>Latency</b>: mixed check-ins at {@code bench.rate} per second for {@code bench.duration}, every
 *       {@code bench.failing-every}-th one a first non-compliant check-in of its subject (app instance and managed
 *       device by turns); for each, the time from the send to its SignOutRequired received on the topic. Percentiles
 *       printed.
 * </ol>
 *
 * <p>Every figure is printed with the machine's load average. Settings: {@code bench.kafka} (127.0.0.1:19092, the
 * local stack's broker), {@code bench.subjects} (2,000 compliant app instances), {@code bench.devices} (2,000
 * compliant managed devices), {@code bench.burst} (20,000 per burst), {@code bench.rate} (2,000),
 * {@code bench.duration} (PT20S), {@code bench.failing-every} (20).
 */
@Tag("benchmark")
class ComplianceThroughputBenchmark {

    private static final String MAIL = "com.contoso.mail";
    /** The app of the fan-out benchmark's bystanders, so their policy does not reach the group's mail apps. */
    private static final String CHAT = "com.contoso.chat";

    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(10);

    private final String kafka = System.getProperty("bench.kafka", "127.0.0.1:19092");
    private final int subjects = Integer.getInteger("bench.subjects", 2_000);
    private final int devices = Integer.getInteger("bench.devices", 2_000);
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
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < latencyFailures; i++) {
            // every other first non-compliant report is a managed device's
            fresh.add(i % 2 == 0 ? "reg-" + tenant + "-fresh-" + i : "dev-" + tenant + "-fresh-" + i);
        }
        List<String> steadyInstances = new ArrayList<>();
        for (int i = 0; i < subjects; i++) {
            steadyInstances.add("reg-" + tenant + "-" + i);
        }
        List<String> steadyDevices = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            steadyDevices.add("dev-" + tenant + "-" + i);
        }
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < Math.max(steadyInstances.size(), steadyDevices.size()); i++) {
            if (i < steadyInstances.size()) {
                mixed.add(steadyInstances.get(i));
            }
            if (i < steadyDevices.size()) {
                mixed.add(steadyDevices.get(i));
            }
        }
        Map<String, List<String>> phases = new java.util.LinkedHashMap<>();
        phases.put("unmanaged", steadyInstances);
        phases.put("managed", steadyDevices);
        phases.put("mixed", mixed);
        // each phase ends with a first non-compliant check-in on every partition, of both kinds for the mixed one
        Map<String, List<String>> sentinels = new java.util.LinkedHashMap<>();
        sentinels.put("unmanaged", sentinelsOnEveryPartition("reg-" + tenant + "-sentinel-u-", partitions));
        sentinels.put("managed", sentinelsOnEveryPartition("dev-" + tenant + "-sentinel-m-", partitions));
        List<String> mixedSentinels =
                new ArrayList<>(sentinelsOnEveryPartition("reg-" + tenant + "-sentinel-x-", partitions));
        mixedSentinels.addAll(sentinelsOnEveryPartition("dev-" + tenant + "-sentinel-x-", partitions));
        sentinels.put("mixed", mixedSentinels);

        AtomicBoolean listening = new AtomicBoolean(true);
        Thread listener = new Thread(() -> listen(listening), "sign-out-listener");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            listener.start();
            List<String> all = new ArrayList<>(steadyInstances);
            sentinels.values().forEach(all::addAll);
            all.addAll(fresh);
            all.addAll(steadyDevices);
            Instant setUp = Instant.now();
            for (String subject : all) {
                send(producer, Topics.DIRECTORY, userOf(subject), licence(userOf(subject)));
            }
            send(producer, Topics.POLICIES, "policy-" + tenant, policy());
            send(producer, Topics.POLICIES, "policy-devices-" + tenant, deviceCompliancePolicy());
            for (String subject : all) {
                if (isDevice(subject)) {
                    send(producer, Topics.DEVICES, subject, enrolled(subject));
                } else {
                    send(producer, Topics.DEVICES, subject, registered(subject));
                }
            }
            producer.flush();
            // Canaries prove the set-up is consumed: an app instance's sign-out needs its licence, the policy and its
            // registration; a device's the device compliance policy and its enrollment.
            String canary = "reg-" + tenant + "-canary";
            String deviceCanary = "dev-" + tenant + "-canary";
            send(producer, Topics.DIRECTORY, userOf(canary), licence(userOf(canary)));
            send(producer, Topics.DEVICES, canary, registered(canary));
            send(producer, Topics.DEVICES, canary, report(canary, false));
            send(producer, Topics.DEVICES, deviceCanary, enrolled(deviceCanary));
            send(producer, Topics.DEVICES, deviceCanary, report(deviceCanary, false));
            producer.flush();
            awaitSignOuts(List.of(canary, deviceCanary), SETTLE_TIMEOUT);
            System.out.printf(
                    "set-up: %,d app instances, %,d managed devices and licences consumed in %.1f s (load %s)%n",
                    all.size() - steadyDevices.size(),
                    steadyDevices.size(),
                    seconds(Duration.between(setUp, Instant.now())),
                    loadAverage());

            // 1. Throughput: unmanaged only, managed only, then both mixed.
            Map<String, Double> perSecond = new java.util.LinkedHashMap<>();
            Map<TopicPartition, Long> mixedFrom = Map.of();
            for (Map.Entry<String, List<String>> phase : phases.entrySet()) {
                if (phase.getKey().equals("mixed")) {
                    mixedFrom = endOffsets(Topics.DEVICES);
                }
                perSecond.put(
                        phase.getKey(),
                        burst(producer, phase.getKey(), phase.getValue(), sentinels.get(phase.getKey())));
            }
            Map<TopicPartition, Long> mixedTo = endOffsets(Topics.DEVICES);

            // 2. The anchor: a bare consume-transform-produce of the mixed burst's records on the same broker.
            double anchor = consumeTransformProduce(mixedFrom, mixedTo);
            System.out.printf(
                    "anchor: raw Kafka consume (decode) -> produce (encode), at-least-once: %,.0f records/s;"
                            + " mixed burst = %.1f %% of it (load %s)%n",
                    anchor, 100 * perSecond.get("mixed") / anchor, loadAverage());

            // 3. Latency at a fixed rate, managed and unmanaged mixed.
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
                    send(producer, Topics.DEVICES, subject, report(subject, false));
                } else {
                    String subject = mixed.get(i % mixed.size());
                    send(producer, Topics.DEVICES, subject, report(subject, true));
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
                    "latency at %,d reports/s offered (%,.0f/s sent, mixed), %d non-compliant: report -> SignOutRequired"
                            + " p50=%d ms p90=%d ms p99=%d ms max=%d ms (load %s)%n",
                    rate,
                    achieved,
                    latencies.length,
                    millis(percentile(latencies, 50)),
                    millis(percentile(latencies, 90)),
                    millis(percentile(latencies, 99)),
                    millis(latencies[latencies.length - 1]),
                    loadAverage());
            assertThat(latencies).hasSize(failing);
        } finally {
            listening.set(false);
            listener.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /**
     * {@code bench.burst} compliant check-ins of {@code steady} as fast as the producer goes, then one first
     * non-compliant check-in of each sentinel; the burst is evaluated when every sentinel's SignOutRequired arrived.
     * Returns check-ins per second.
     */
    private double burst(
            KafkaProducer<String, byte[]> producer, String name, List<String> steady, List<String> sentinels) {
        long start = System.nanoTime();
        for (int i = 0; i < burst; i++) {
            String subject = steady.get(i % steady.size());
            send(producer, Topics.DEVICES, subject, report(subject, true));
        }
        for (String sentinel : sentinels) {
            send(producer, Topics.DEVICES, sentinel, report(sentinel, false));
        }
        producer.flush();
        long sent = System.nanoTime();
        awaitSignOuts(sentinels, SETTLE_TIMEOUT);
        long last =
                sentinels.stream().mapToLong(signOutReceivedNanos::get).max().orElseThrow();
        double elapsed = (last - start) / 1e9;
        double perSecond = (burst + sentinels.size()) / elapsed;
        System.out.printf(
                "throughput %s: %,d check-ins (+%d sentinels) sent in %.1f s, all evaluated after %.1f s:"
                        + " %,.0f reports/s (load %s)%n",
                name, burst, sentinels.size(), (sent - start) / 1e9, elapsed, perSecond, loadAverage());
        return perSecond;
    }

    /** The devices topic's end offsets now. */
    private Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = rawConsumer()) {
            List<TopicPartition> all = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(all);
        }
    }

    /**
     * The anchor: the records between {@code from} and {@code to} consumed, decoded, re-encoded and produced to a topic
     * of the benchmark's own with acks=all, offsets committed per poll (at-least-once) — what a consumer that did
     * nothing but Kafka would reach on this broker. Returns records per second.
     */
    private double consumeTransformProduce(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        long records = to.entrySet().stream()
                .mapToLong(e -> e.getValue() - from.getOrDefault(e.getKey(), 0L))
                .sum();
        String anchorTopic = "bench.anchor." + tenant;
        // created before the first send: an idempotent producer racing the broker's auto-creation retried for ever
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(anchorTopic, Topics.DEVICES_PARTITIONS, (short) 1)))
                    .all()
                    .get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("could not create " + anchorTopic, e);
        }
        try (KafkaConsumer<String, byte[]> consumer = rawConsumer();
                KafkaProducer<String, byte[]> producer = producer()) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long start = System.nanoTime();
            long done = 0;
            while (done < records) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.offset() >= to.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    SpecificRecord event = EventCodec.decode(record.value());
                    producer.send(new ProducerRecord<>(anchorTopic, record.key(), EventCodec.encode(event)));
                    done++;
                }
                consumer.commitSync();
            }
            producer.flush();
            return records / ((System.nanoTime() - start) / 1e9);
        }
    }

    private KafkaConsumer<String, byte[]> rawConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka,
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-anchor-" + tenant,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()));
    }

    private static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown";
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
            send(producer, Topics.DEVICES, canary, report(canary, false));
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
                            send(producer, Topics.DEVICES, subject, report(subject, false));
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
    private static List<String> sentinelsOnEveryPartition(String prefix, int partitions) {
        List<String> found = new ArrayList<>(Arrays.asList(new String[partitions]));
        Set<Integer> missing = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            missing.add(p);
        }
        for (int i = 0; !missing.isEmpty(); i++) {
            String candidate = prefix + i;
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
        // a managed device's primary user has no app instance of the benchmark's, and the other way round
        return isDevice(subject) ? "user-" + subject : "user-" + subject.substring("reg-".length());
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

    /** A check-in of an app instance (app 5.1 or 4.0) or of a managed device (iOS 17.5 or 16.0). */
    private DeviceStateReported report(String subject, boolean compliant) {
        Instant now = Instant.now();
        DeviceStateReported.Builder report = DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(tenant)
                .setSubjectId(subject)
                .setUserId(userOf(subject))
                .setPlatform(Platform.IOS)
                .setJailbroken(false)
                .setLastContactAt(now);
        if (isDevice(subject)) {
            return report.setManagementType(ManagementType.MANAGED)
                    .setOsVersion(compliant ? "17.5" : "16.0")
                    .setEncrypted(true)
                    .setPasscodeSet(true)
                    .build();
        }
        return report.setManagementType(ManagementType.UNMANAGED)
                .setOsVersion("17.5")
                .setAppId(appOf(subject))
                .setAppVersion(compliant ? "5.1" : "4.0")
                .setPinSet(true)
                .build();
    }

    private static boolean isDevice(String subject) {
        return subject.startsWith("dev-");
    }

    private DeviceEnrolled enrolled(String deviceId) {
        return DeviceEnrolled.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setDeviceId(deviceId)
                .setUserId(userOf(deviceId))
                .setPlatform(Platform.IOS)
                .setOsVersion("17.5")
                .setHardwareId("hw-" + deviceId)
                .build();
    }

    /** Managed iOS devices of every user need iOS 17.0 or newer; no grace period, so a failure signs out at once. */
    private PolicyChanged deviceCompliancePolicy() {
        return PolicyChanged.newBuilder(policy())
                .setEventId(Envelope.newEventId())
                .setPolicyId("policy-devices-" + tenant)
                .setPolicyKind(PolicyKind.DEVICE_COMPLIANCE)
                .setName("benchmark: iOS 17.0 or newer")
                .setSettingsJson("{\"rules\": {\"minimumOsVersion\": \"17.0\"}, \"actions\":"
                        + " [{\"action\": \"MARK_NON_COMPLIANT\", \"after\": \"PT0S\"}]}")
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
