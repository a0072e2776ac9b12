package dev.bulwark.registry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Topics;
import dev.bulwark.infra.DevKeys;
import java.io.IOException;
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
 * build and run on demand with {@code -Pbenchmark}). It enrolls devices in a fresh tenant, then has several threads
 * post check-ins with the devices' own tokens for a fixed time, and counts, with a plain Kafka consumer, the
 * DeviceStateReported events that reach bulwark.devices.v1. Printed: reports/s accepted (HTTP 200), reports/s applied,
 * events/s arriving on the topic in the same window, latency percentiles, and how long the outbox needed after the
 * load stopped to publish the rest.
 *
 * <p>Settings (system properties, defaults for {@code ./bulwark up}): {@code bench.registry} (http://127.0.0.1:8081),
 * {@code bench.kafka} (127.0.0.1:19092), {@code bench.data-dir} (the repository's .local-stack, whose {@code keys}
 * folder signs the tokens), {@code bench.devices} (64), {@code bench.threads} (8), {@code bench.warmup} (PT10S),
 * {@code bench.duration} (PT30S).
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
        AtomicLong published = new AtomicLong();
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread consumer = startConsumer(ours, published, consuming);

        AtomicBoolean firing = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        Tally warm = new Tally();
        Tally measured = new Tally();
        List<Worker> workers = new ArrayList<>();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            // Each thread reports for its own devices, round robin: a device's check-ins never race each other.
            List<Integer> own = new ArrayList<>();
            for (int d = t; d < deviceCount; d += threadCount) {
                own.add(d);
            }
            Worker worker = new Worker();
            workers.add(worker);
            load.add(new Thread(
                    () -> {
                        int n = 0;
                        while (firing.get()) {
                            int device = own.get(n++ % own.size());
                            boolean inWindow = measuring.get();
                            long start = System.nanoTime();
                            HttpResponse<String> response = report(devices.get(device), deviceTokens.get(device));
                            long took = System.nanoTime() - start;
                            Tally tally = inWindow ? measured : warm;
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
        long publishedBefore = published.get();
        long windowStart = System.nanoTime();
        measuring.set(true);
        Thread.sleep(duration.toMillis());
        measuring.set(false);
        long windowNanos = System.nanoTime() - windowStart;
        long publishedInWindow = published.get() - publishedBefore;
        firing.set(false);
        for (Thread thread : load) {
            thread.join();
        }
        long stopped = System.nanoTime();
        long expected = warm.applied.get() + measured.applied.get();
        // Drain: wait (bounded) until every accepted report has reached the topic; the figure reports what arrived.
        try {
            org.awaitility.Awaitility.await("every accepted report published")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> published.get() >= expected);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Reported below as published < accepted.
        }
        double drainSeconds = (System.nanoTime() - stopped) / 1e9;
        consuming.set(false);
        consumer.join();

        double seconds = windowNanos / 1e9;
        long[] all = workers.stream()
                .flatMapToLong(w -> Arrays.stream(w.latencies, 0, w.count))
                .sorted()
                .toArray();
        System.out.printf(
                """

                === State report throughput (device-registry %s, Kafka %s) ===
                cores: %d available to this JVM; %d devices, %d threads, warm-up %s, window %.1f s
                accepted (HTTP 200): %d = %.0f reports/s; applied (published): %d = %.0f reports/s
                DeviceStateReported reaching %s in the window: %d = %.0f events/s
                latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f
                refused: warm-up %s, window %s
                after the load stopped, all %d applied reports were on the topic within %.1f s (seen %d)
                """,
                registry,
                kafka,
                Runtime.getRuntime().availableProcessors(),
                deviceCount,
                threadCount,
                warmup,
                seconds,
                measured.accepted.get(),
                measured.accepted.get() / seconds,
                measured.applied.get(),
                measured.applied.get() / seconds,
                Topics.DEVICES,
                publishedInWindow,
                publishedInWindow / seconds,
                percentile(all, 0.50),
                percentile(all, 0.95),
                percentile(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                new TreeMap<>(warm.refused),
                new TreeMap<>(measured.refused),
                expected,
                drainSeconds,
                published.get());

        assertThat(measured.accepted.get()).as("reports accepted in the window").isPositive();
        assertThat(measured.refused).as("refused reports in the window").isEmpty();
        assertThat(published.get()).as("every applied report reaches the topic").isGreaterThanOrEqualTo(expected);
    }

    private Thread startConsumer(Set<String> devices, AtomicLong published, AtomicBoolean running)
            throws InterruptedException {
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

    private HttpResponse<String> report(String deviceId, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry + "/api/v1/devices/" + deviceId + "/state"))
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
