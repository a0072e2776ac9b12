package dev.bulwark.registry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Topics;
import dev.bulwark.infra.DevKeys;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures state-report throughput against a running local stack (not a timed test: it is excluded from the default
 * build and run on demand with {@code -Pbenchmark}), next to an anchor measured in the same run. It enrolls devices in
 * a fresh tenant, then has several threads post check-ins with the devices' own tokens for a fixed time, first to
 * {@link VertxCheckInEndpoint} (on Vert.x, as Quarkus: JWT check + JSON + one upsert + one outbox insert per request on
 * the same PostgreSQL, nothing else), then to device-registry. A plain Kafka consumer counts the DeviceStateReported events of these devices
 * on bulwark.devices.v1 by eventId. Printed per phase: reports/s accepted (HTTP 200) and applied, latency percentiles,
 * the load average before and after the window; then the ratio device-registry / anchor, and whether every report
 * device-registry applied reached the topic exactly once (the run fails otherwise).
 *
 * <p>Settings (system properties, defaults for {@code ./bulwark up}): {@code bench.registry} (http://127.0.0.1:8081),
 * {@code bench.kafka} (127.0.0.1:19092), {@code bench.jdbc} (jdbc:postgresql://127.0.0.1:15432/device_registry, where
 * the anchor keeps its tables in schema bench_anchor), {@code bench.jdbc-user} (postgres), {@code bench.data-dir} (the
 * repository's .local-stack, whose {@code keys} folder signs the tokens), {@code bench.devices} (64),
 * {@code bench.threads} (8), {@code bench.registry-pid} (device-registry's process id on this machine: then its CPU time
 * per accepted report is printed beside the anchor's), {@code bench.anchor-threads} (20, the anchor's worker pool),
 * {@code bench.warmup} (PT10S), {@code bench.duration}
 * (PT30S).
 */
@Tag("benchmark")
class StateReportThroughputBenchmark {

    private static final Pattern DEVICE_ID = Pattern.compile("\"deviceId\"\\s*:\\s*\"([^\"]+)\"");
    private static final String STATE = "{\"osVersion\":\"14.1\",\"encrypted\":true,\"passcodeSet\":true,"
            + "\"jailbroken\":false,\"installedApps\":[{\"appId\":\"com.contoso.mail\",\"version\":\"5.2.0\"}]}";

    private final String registry = System.getProperty("bench.registry", "http://127.0.0.1:8081");
    private final String kafka = System.getProperty("bench.kafka", "127.0.0.1:19092");
    private final Path dataDir = Path.of(System.getProperty(
            "bench.data-dir",
            Path.of("..", ".local-stack").toAbsolutePath().normalize().toString()));
    private final int deviceCount = Integer.getInteger("bench.devices", 64);
    private final int threadCount = Integer.getInteger("bench.threads", 8);
    private final Duration warmup = Duration.parse(System.getProperty("bench.warmup", "PT10S"));
    private final Duration duration = Duration.parse(System.getProperty("bench.duration", "PT30S"));
    private final String anchorJdbc =
            System.getProperty("bench.jdbc", "jdbc:postgresql://127.0.0.1:15432/device_registry");
    private final String anchorUser = System.getProperty("bench.jdbc-user", "postgres");
    private final int anchorThreads = Integer.getInteger("bench.anchor-threads", 20);
    /** device-registry's process id, to charge it the CPU it used in its window (empty: not measured). */
    private final String registryPid = System.getProperty("bench.registry-pid", "");
    /** Events of the benchmark's devices seen on the topic so far (set when the consumer starts). */
    private AtomicLong publishedCount = new AtomicLong();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Counts, per phase, what the load threads saw. */
    private static final class Tally {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong applied = new AtomicLong();
        final Map<Integer, AtomicLong> refused = new ConcurrentHashMap<>();
    }

    /** One load thread's latencies in the measured window. */
    private static final class Worker {
        long[] latencies = new long[16_384];
        int count;

        void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }
    }

    @Test
    void stateReportsPerSecondAcceptedAndPublished() throws Exception {
        assertThat(deviceCount).as("bench.devices >= bench.threads").isGreaterThanOrEqualTo(threadCount);
        Path keys = dataDir.resolve("keys");
        assertThat(keys.resolve("jwt-public.pem"))
                .as("the stack's token keys (start it with ./bulwark up, or set -Dbench.data-dir)")
                .satisfies(p -> assertThat(Files.exists(p)).isTrue());
        DevKeys devKeys = DevKeys.loadOrCreate(keys);
        String tenant = "bench-" + UUID.randomUUID();
        String admin = devKeys.mint(
                DevKeys.DEFAULT_ISSUER,
                tenant,
                "admin@" + tenant,
                Set.of("admin"),
                Optional.empty(),
                Duration.ofHours(1));

        post("/api/v1/users", admin, "{\"userId\":\"bench-user\",\"displayName\":\"Bench\"}", 201);
        List<String> devices = new ArrayList<>();
        List<String> deviceTokens = new ArrayList<>();
        for (int i = 0; i < deviceCount; i++) {
            String body = post(
                    "/api/v1/devices",
                    admin,
                    "{\"userId\":\"bench-user\",\"platform\":\"ANDROID\",\"osVersion\":\"14.0\",\"model\":\"Bench\","
                            + "\"hardwareId\":\"bench-hw-" + i + "\",\"ownership\":\"CORPORATE\"}",
                    201);
            Matcher id = DEVICE_ID.matcher(body);
            assertThat(id.find()).isTrue();
            devices.add(id.group(1));
            deviceTokens.add(devKeys.mint(
                    DevKeys.DEFAULT_ISSUER,
                    tenant,
                    id.group(1),
                    Set.of("device"),
                    Optional.of(id.group(1)),
                    Duration.ofHours(1)));
        }

        Set<String> ours = Set.copyOf(devices);
        Map<String, AtomicLong> publishedById = new ConcurrentHashMap<>();
        AtomicLong published = new AtomicLong();
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread consumer = startConsumer(ours, published, publishedById, consuming);

        // The anchor first, then device-registry, in the same run with the same devices, tokens, threads and window.
        Phase anchor;
        try (VertxCheckInEndpoint bare = new VertxCheckInEndpoint(
                keys.resolve("jwt-public.pem"), DevKeys.DEFAULT_ISSUER, anchorJdbc, anchorUser, "", anchorThreads)) {
            anchor = drive(
                    "anchor (Vert.x event loop + worker pool, jose4j RS256 + Jackson + JDBC upsert + outbox insert)",
                    bare.baseUrl(),
                    devices,
                    deviceTokens,
                    StateReportThroughputBenchmark::vertxThreadsCpuNanos);
        }
        long publishedBefore = published.get();
        Phase service = drive(
                "device-registry",
                registry,
                devices,
                deviceTokens,
                registryPid.isEmpty() ? () -> -1 : () -> processCpuNanos(registryPid));
        long stopped = System.nanoTime();
        long expected = service.warm.applied.get() + service.measured.applied.get();
        // Drain: wait (bounded) until every applied report has reached the topic; the figure reports what arrived.
        try {
            org.awaitility.Awaitility.await("every applied report published")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> published.get() - publishedBefore >= expected);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Reported below as published < applied.
        }
        double drainSeconds = (System.nanoTime() - stopped) / 1e9;
        // a late duplicate would arrive right behind the rest: give it a moment before counting
        Thread.sleep(2_000);
        consuming.set(false);
        consumer.join();
        long duplicates = publishedById.values().stream()
                .mapToLong(n -> n.get() - 1)
                .filter(n -> n > 0)
                .sum();

        double ratio = service.acceptedPerSecond() / anchor.acceptedPerSecond();
        System.out.printf(
                """

                === State report throughput (device-registry %s, Kafka %s) ===
                cores: %d available to this JVM; %d devices, %d threads, warm-up %s, window %s
                %s
                %s
                ratio device-registry / anchor (accepted/s): %.2f
                DeviceStateReported reaching %s during device-registry's window: %.0f events/s
                after the load stopped, %d applied reports expected on the topic; seen %d (%d distinct eventIds, %d duplicates) within %.1f s
                """,
                registry,
                kafka,
                Runtime.getRuntime().availableProcessors(),
                deviceCount,
                threadCount,
                warmup,
                duration,
                anchor.describe(),
                service.describe(),
                ratio,
                Topics.DEVICES,
                service.publishedInWindow / service.seconds,
                expected,
                published.get() - publishedBefore,
                publishedById.size(),
                duplicates,
                drainSeconds);

        assertThat(anchor.measured.accepted.get())
                .as("anchor: reports accepted in the window")
                .isPositive();
        assertThat(service.measured.accepted.get())
                .as("reports accepted in the window")
                .isPositive();
        assertThat(service.measured.refused).as("refused reports in the window").isEmpty();
        assertThat(published.get() - publishedBefore)
                .as("every applied report reaches the topic exactly once")
                .isEqualTo(expected);
        assertThat(duplicates).as("events published twice").isZero();
    }

    /** What one load phase saw: warm-up and window tallies, the window's latencies and the load average around it. */
    private final class Phase {
        final String name;
        final Tally warm = new Tally();
        final Tally measured = new Tally();
        final List<Worker> workers = new ArrayList<>();
        double seconds;
        long publishedInWindow;
        String loadBefore;
        String loadAfter;
        /** CPU time spent serving the window (nanoseconds), or negative when not measured. */
        long cpuNanos = -1;

        Phase(String name) {
            this.name = name;
        }

        double acceptedPerSecond() {
            return measured.accepted.get() / seconds;
        }

        String describe() {
            long[] all = workers.stream()
                    .flatMapToLong(w -> Arrays.stream(w.latencies, 0, w.count))
                    .sorted()
                    .toArray();
            return String.format(
                    "%s:%n  accepted (HTTP 200): %d = %.0f reports/s; applied: %d = %.0f reports/s%n"
                            + "  latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n"
                            + "  refused: warm-up %s, window %s%n  load average before %s, after %s%n  %s",
                    name,
                    measured.accepted.get(),
                    acceptedPerSecond(),
                    measured.applied.get(),
                    measured.applied.get() / seconds,
                    percentile(all, 0.50),
                    percentile(all, 0.95),
                    percentile(all, 0.99),
                    all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                    new TreeMap<>(warm.refused),
                    new TreeMap<>(measured.refused),
                    loadBefore,
                    loadAfter,
                    cpuNanos < 0
                            ? "CPU: not measured"
                            : String.format(
                                    "CPU: %.3f ms per accepted report (%.2f cores busy)",
                                    cpuNanos / 1e6 / Math.max(1, measured.accepted.get()), cpuNanos / 1e9 / seconds));
        }
    }

    /** Has the load threads post check-ins to {@code baseUrl} for the warm-up and the window; returns what they saw. */
    private Phase drive(
            String name, String baseUrl, List<String> devices, List<String> deviceTokens, LongSupplier cpuNanos)
            throws InterruptedException {
        Phase phase = new Phase(name);
        // a marker for whoever attaches a profiler to one phase only
        System.out.printf("bench phase starting: %s (%s)%n", name, java.time.Instant.now());
        AtomicBoolean firing = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            // Each thread reports for its own devices, round robin: a device's check-ins never race each other.
            List<Integer> own = new ArrayList<>();
            for (int d = t; d < deviceCount; d += threadCount) {
                own.add(d);
            }
            Worker worker = new Worker();
            phase.workers.add(worker);
            load.add(new Thread(
                    () -> {
                        int n = 0;
                        while (firing.get()) {
                            int device = own.get(n++ % own.size());
                            boolean inWindow = measuring.get();
                            long start = System.nanoTime();
                            HttpResponse<String> response =
                                    report(baseUrl, devices.get(device), deviceTokens.get(device));
                            long took = System.nanoTime() - start;
                            Tally tally = inWindow ? phase.measured : phase.warm;
                            int status = response == null ? -1 : response.statusCode();
                            if (status != 200) {
                                tally.refused
                                        .computeIfAbsent(status, k -> new AtomicLong())
                                        .incrementAndGet();
                                continue;
                            }
                            tally.accepted.incrementAndGet();
                            if (response.body().contains("\"applied\":true")) {
                                tally.applied.incrementAndGet();
                            }
                            if (inWindow) {
                                worker.record(took);
                            }
                        }
                    },
                    "bench-load-" + t));
        }
        load.forEach(Thread::start);
        Thread.sleep(warmup.toMillis());
        phase.loadBefore = loadAverage();
        long cpuBefore = cpuNanos.getAsLong();
        long windowStart = System.nanoTime();
        long publishedBefore = publishedCount.get();
        measuring.set(true);
        Thread.sleep(duration.toMillis());
        measuring.set(false);
        phase.seconds = (System.nanoTime() - windowStart) / 1e9;
        phase.publishedInWindow = publishedCount.get() - publishedBefore;
        long cpuAfter = cpuNanos.getAsLong();
        phase.cpuNanos = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
        phase.loadAfter = loadAverage();
        firing.set(false);
        for (Thread thread : load) {
            thread.join();
        }
        return phase;
    }

    /**
     * CPU time of the anchor's server threads (Vert.x event loops and workers) in this JVM. The load generator, GC and
     * JIT threads are left out: the anchor is charged less than device-registry, whose whole process is counted.
     */
    private static long vertxThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("vert.x-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** User + system CPU time of a process of this machine, from /proc (clock ticks taken as 1/100 s); -1 if unreadable. */
    private static long processCpuNanos(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3 of stat; utime and stime are fields 14 and 15
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    private Thread startConsumer(
            Set<String> devices, AtomicLong published, Map<String, AtomicLong> byEventId, AtomicBoolean running)
            throws InterruptedException {
        publishedCount = published;
        AtomicBoolean ready = new AtomicBoolean();
        Thread thread = new Thread(
                () -> {
                    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka,
                            ConsumerConfig.GROUP_ID_CONFIG,
                            "bench-" + UUID.randomUUID(),
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                            false,
                            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                            StringDeserializer.class.getName(),
                            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                            ByteArrayDeserializer.class.getName()))) {
                        List<TopicPartition> partitions =
                                consumer.partitionsFor(Topics.DEVICES, Duration.ofSeconds(30)).stream()
                                        .map(p -> new TopicPartition(Topics.DEVICES, p.partition()))
                                        .toList();
                        consumer.assign(partitions);
                        consumer.seekToEnd(partitions);
                        partitions.forEach(p -> consumer.position(p, Duration.ofSeconds(30)));
                        ready.set(true);
                        while (running.get()) {
                            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                                if (devices.contains(record.key())
                                        && CloudEventHeaders.type(record.headers())
                                                .filter("DeviceStateReported"::equals)
                                                .isPresent()) {
                                    published.incrementAndGet();
                                    CloudEventHeaders.value(record.headers(), CloudEventHeaders.ID)
                                            .ifPresent(id -> byEventId
                                                    .computeIfAbsent(id, k -> new AtomicLong())
                                                    .incrementAndGet());
                                }
                            }
                        }
                    }
                },
                "bench-consumer");
        thread.setDaemon(true);
        thread.start();
        org.awaitility.Awaitility.await("consumer ready")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .untilTrue(ready);
        return thread;
    }

    private HttpResponse<String> report(String baseUrl, String deviceId, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/devices/" + deviceId + "/state"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(STATE))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String post(String path, String token, String json, int expectedStatus)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(registry + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST " + path + ": " + response.body())
                .isEqualTo(expectedStatus);
        return response.body();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
}
