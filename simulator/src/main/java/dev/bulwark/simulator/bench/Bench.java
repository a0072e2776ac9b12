package dev.bulwark.simulator.bench;

import dev.bulwark.simulator.Rest;
import dev.bulwark.simulator.StackAddresses;
import dev.bulwark.simulator.Tokens;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./bulwark bench}: drives a running stack through its REST front door and measures, as an outside consumer,
 * how long a non-compliant check-in takes to become a SignOutRequired at fixed offered rates (managed and unmanaged
 * mixed), with the anchors measured in the same run on the same broker and database, and optionally the join storm.
 * Prints the figures with the load average around each phase, and writes the HTML report and a markdown summary.
 */
public final class Bench {

    private final BenchOptions o;
    private final List<String> args;

    private Bench(BenchOptions options, List<String> args) {
        this.o = options;
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Optional<BenchOptions> options;
        try {
            options = BenchOptions.parse(List.of(argv));
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.isEmpty()) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        new Bench(options.get(), List.of(argv)).run();
        System.exit(0);
    }

    private void run() throws Exception {
        StackAddresses stack = StackAddresses.read(o.dataDir());
        URI registry = o.registry().orElse(URI.create(stack.registry()));
        URI policy = o.policy().orElse(URI.create(stack.policy()));
        String kafka = o.kafka().orElse(stack.kafka());
        String jdbcUrl = o.jdbcUrl().orElseGet(() -> "jdbc:postgresql://" + postgresAddress(o.dataDir()) + "/postgres");
        Tokens tokens = new Tokens(o.dataDir().resolve("keys"), o.issuer());
        Rest rest = new Rest();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        String startedAt = Instant.now().toString();
        List<String> notes = new ArrayList<>();
        log("bench %s against %s (Kafka %s); load %s", o.runId(), registry, kafka, LoadAverage.now());

        SignOutWaits waits = new SignOutWaits();
        StormLedger ledger = new StormLedger(o.stormDeadline().toMillis());
        String tenantId = "bench-" + o.runId();
        String stormTenant = "storm-" + o.runId();
        try (ConsumerLag lag = new ConsumerLag(kafka);
                OutsideConsumer outside = new OutsideConsumer(kafka, (type, tenant, subject, event, at, stamped) -> {
                    if (tenant.equals(tenantId) && type.equals("SignOutRequired")) {
                        waits.signedOut(subject, at, stamped);
                    } else if (tenant.equals(tenantId) && type.equals("DeviceStateReported")) {
                        waits.reportPublished(subject, stamped);
                    } else if (tenant.equals(stormTenant)) {
                        long now = System.currentTimeMillis();
                        switch (type) {
                            case "SignOutRequired" -> ledger.signedOut(subject, now);
                            case "ComplianceRestored" -> ledger.restored(subject, now);
                            case "DeviceStateReported" -> ledger.reportOccurred(
                                    subject, occurredAt(event), BenchSubject.compliantReport(event));
                            default -> {}
                        }
                    }
                })) {
            outside.start();

            // setup and join
            int fresh = 0;
            for (int rate : o.rates()) {
                fresh += o.nonCompliantReports(rate, o.duration());
            }
            fresh += fresh / 20 + 2;
            int freshManaged = (int) Math.ceil(fresh * o.managedShare());
            int poolManaged = Math.max(1, (int) Math.round(o.pool() * o.managedShare()));
            int poolUnmanaged = Math.max(1, o.pool() - poolManaged);
            int users = Math.max(100, (o.pool() + fresh) / 2);
            BenchTenant tenant = new BenchTenant(tenantId, registry, policy, tokens, rest);
            long t0 = System.nanoTime();
            tenant.setUp(users, Optional.empty());
            AtomicInteger refused = new AtomicInteger();
            List<BenchSubject> pool =
                    tenant.join(poolManaged, poolUnmanaged, o.joinConcurrency(), "pool-" + o.runId(), refused);
            List<BenchSubject> freshSubjects =
                    tenant.join(freshManaged, fresh - freshManaged, o.joinConcurrency(), "fresh-" + o.runId(), refused);
            long joinMillis = (System.nanoTime() - t0) / 1_000_000;
            long settled = lag.awaitSettled(o.drain().multipliedBy(2));
            String joined = String.format(
                    Locale.ROOT,
                    "setup: tenant %s, %,d users, remediation off; joined %,d compliant + %,d fresh subjects"
                            + " (%d refused) in %,d ms; consumer lag after: %,d; load %s",
                    tenantId,
                    users,
                    pool.size(),
                    freshSubjects.size(),
                    refused.get(),
                    joinMillis,
                    settled,
                    LoadAverage.now());
            log("%s", joined);
            List<BenchSubject> managedPool =
                    pool.stream().filter(BenchSubject::managed).toList();
            List<BenchSubject> unmanagedPool =
                    pool.stream().filter(s -> !s.managed()).toList();
            Deque<BenchSubject> freshManagedQueue = new ArrayDeque<>(
                    freshSubjects.stream().filter(BenchSubject::managed).toList());
            Deque<BenchSubject> freshUnmanagedQueue = new ArrayDeque<>(
                    freshSubjects.stream().filter(s -> !s.managed()).toList());

            RatePhase phase = new RatePhase(http, registry, o.maxInFlight());
            if (!o.warmup().isZero()) {
                log(
                        "warm-up: %d/s for %s (compliant reports only, not measured); load %s",
                        o.rates().get(0), o.warmup(), LoadAverage.now());
                phase.run(
                        o.rates().get(0),
                        o.warmup(),
                        0,
                        o.managedShare(),
                        managedPool,
                        unmanagedPool,
                        new ArrayDeque<>(),
                        new ArrayDeque<>(),
                        waits,
                        Duration.ZERO);
                lag.awaitSettled(o.drain());
            }
            List<RatePhase.Result> phases = new ArrayList<>();
            Map<Integer, KafkaChainAnchor.Result> anchors = new LinkedHashMap<>();
            KafkaChainAnchor chain = new KafkaChainAnchor(kafka, o.runId());
            for (int rate : o.rates()) {
                log("phase: %,d/s for %s; load %s", rate, o.duration(), LoadAverage.now());
                RatePhase.Result r = phase.run(
                        rate,
                        o.duration(),
                        o.nonCompliantShare(),
                        o.managedShare(),
                        managedPool,
                        unmanagedPool,
                        freshManagedQueue,
                        freshUnmanagedQueue,
                        waits,
                        o.drain());
                phases.add(r);
                log(
                        "  accepted %,.0f/s, report -> SignOutRequired %s; load %s",
                        r.acceptedPerSecond(), BenchRun.latencies(r.signOut()), r.loadAfter());
                long left = lag.awaitSettled(o.drain());
                if (left != 0) {
                    notes.add(String.format(
                            Locale.ROOT,
                            "note: after the %,d/s phase the consumers were still %,d behind",
                            rate,
                            left));
                }
                if (o.anchors()) {
                    int in = chain.meanRecordSize(dev.bulwark.contract.Topics.DEVICES, 400);
                    int out = chain.meanRecordSize(dev.bulwark.contract.Topics.SIGNOUT, 600);
                    log("anchor: raw Kafka two hops at %,d/s (%d B, %d B); load %s", rate, in, out, LoadAverage.now());
                    KafkaChainAnchor.Result a = chain.run(rate, o.duration(), Math.max(8, in), Math.max(8, out));
                    anchors.put(rate, a);
                    log("  %s", BenchRun.latencies(a.samples()));
                }
            }
            Optional<JdbcInsertAnchor.Result> jdbc = Optional.empty();
            if (o.anchors()) {
                log("anchor: JDBC batch insert, %,d rows on %s; load %s", o.jdbcRows(), jdbcUrl, LoadAverage.now());
                try {
                    jdbc = Optional.of(
                            JdbcInsertAnchor.run(jdbcUrl, o.dbUser(), o.dbPassword(), o.runId(), o.jdbcRows()));
                    log("  %,.0f rows/s", jdbc.get().rowsPerSecond());
                } catch (java.sql.SQLException e) {
                    notes.add("note: the JDBC anchor failed: " + e.getMessage());
                }
            }
            Optional<StormPhase.Result> storm = Optional.empty();
            if (o.storm() > 0) {
                BenchTenant st = new BenchTenant(stormTenant, registry, policy, tokens, rest);
                st.setUp(Math.max(100, o.storm() / 2), Optional.of(o.stormDeadline()));
                lag.awaitSettled(o.drain().multipliedBy(2));
                log(
                        "storm: %,d subjects, remediation deadline %s; load %s",
                        o.storm(), o.stormDeadline(), LoadAverage.now());
                storm = Optional.of(new StormPhase(http, registry)
                        .run(st, o.storm(), o.stormDeadline(), o.joinConcurrency(), o.drain(), ledger));
            }
            BenchRun run = new BenchRun(
                    o.runId(),
                    "./bulwark bench " + String.join(" ", args),
                    startedAt,
                    joined,
                    phases,
                    anchors,
                    jdbc,
                    storm,
                    notes);
            System.out.println();
            System.out.print(BenchReport.text(run));
            if (o.out().isPresent()) {
                Path dir = o.out().get();
                Files.createDirectories(dir);
                Path html = dir.resolve(o.name() + ".html");
                Path md = dir.resolve(o.name() + ".md");
                Files.writeString(html, BenchReport.html(run));
                Files.writeString(md, BenchReport.markdown(run));
                System.out.println("wrote " + html + " and " + md);
            }
        }
    }

    private static long occurredAt(org.apache.avro.generic.GenericRecord event) {
        Object at = event.get("occurredAt");
        return at instanceof Instant i ? i.toEpochMilli() : ((Number) at).longValue();
    }

    private static String postgresAddress(Path dataDir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dataDir.resolve("stack.properties"))) {
            p.load(r);
        } catch (IOException e) {
            return "127.0.0.1:15432";
        }
        return p.getProperty("postgres.address", "127.0.0.1:15432");
    }

    private static void log(String format, Object... values) {
        System.err.println("bench: " + String.format(Locale.ROOT, format, values));
    }
}
