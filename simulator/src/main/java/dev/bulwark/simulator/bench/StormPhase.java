package dev.bulwark.simulator.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The join storm: N subjects of a tenant with remediation on join at once (enroll or register, half each) and send
 * their first check-in right after, non-compliant; half of them report a fix at half the remediation deadline (on
 * their own clock, whatever the backlog). Drained = every subject has its outcome on the topics (a fixer restored, the
 * others signed out); a fixer signed out is a wrong sign-out ({@link StormLedger}).
 */
final class StormPhase {

    /** What the storm saw. */
    record Result(
            int subjects,
            int refused,
            long joinMillis,
            Optional<Long> drainMillis,
            long wrongSignOuts,
            long wrongByOccurredAt,
            long fixedInTime,
            long rightSignOuts,
            long restored,
            long unsettled,
            long fixesAnswered,
            long fixesLate,
            String loadBefore,
            String loadAfter) {}

    private final HttpClient client;
    private final URI registry;

    StormPhase(HttpClient client, URI registry) {
        this.client = client;
        this.registry = registry;
    }

    Result run(BenchTenant tenant, int subjects, Duration deadline, int concurrency, Duration drain, StormLedger ledger)
            throws InterruptedException {
        String loadBefore = LoadAverage.now();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger fixesAnswered = new AtomicInteger();
        AtomicInteger fixesLate = new AtomicInteger();
        // The timer only schedules; the fixes are sent by a pool as large as the joins', so a fix leaves at its time
        // like an independent device's would, not queued behind other fixes (4 sending threads made 1,376 of 5,000
        // fixes late by the bench's own queue in docs/perf/2026-12-05-quiet-end.md).
        ScheduledExecutorService fixes = Executors.newSingleThreadScheduledExecutor();
        ExecutorService fixSenders = Executors.newFixedThreadPool(Math.max(16, concurrency * 2));
        ExecutorService joins = Executors.newFixedThreadPool(concurrency);
        long start = System.currentTimeMillis();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < subjects; i++) {
                int n = i;
                work.add(joins.submit(() -> {
                    boolean managed = n % 2 == 0;
                    boolean fixer = (n / 2) % 2 == 0;
                    Optional<BenchSubject> joined = tenant.joinOne(n, managed, "storm");
                    if (joined.isEmpty()) {
                        refused.incrementAndGet();
                        return;
                    }
                    BenchSubject s = joined.get();
                    long sentAt = System.currentTimeMillis();
                    ledger.firstReport(s.subjectId(), sentAt, fixer);
                    if (send(s, false) / 100 != 2) {
                        refused.incrementAndGet();
                        return;
                    }
                    if (fixer) {
                        long fixAt = sentAt + deadline.toMillis() / 2;
                        fixes.schedule(
                                () -> fixSenders.execute(() -> {
                                    if (send(s, true) / 100 == 2) {
                                        long answered = System.currentTimeMillis();
                                        ledger.fixAnswered(s.subjectId(), answered);
                                        fixesAnswered.incrementAndGet();
                                        if (answered >= sentAt + deadline.toMillis()) {
                                            fixesLate.incrementAndGet();
                                        }
                                    }
                                }),
                                Math.max(0, fixAt - System.currentTimeMillis()),
                                TimeUnit.MILLISECONDS);
                    }
                }));
            }
            for (Future<?> f : work) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.incrementAndGet();
                }
            }
            long joinMillis = System.currentTimeMillis() - start;
            fixes.shutdown();
            fixes.awaitTermination(deadline.toMillis() + 120_000, TimeUnit.MILLISECONDS);
            fixSenders.shutdown();
            fixSenders.awaitTermination(120_000, TimeUnit.MILLISECONDS);
            long until = System.currentTimeMillis() + deadline.toMillis() + drain.toMillis();
            while (ledger.unsettled() > 0 && System.currentTimeMillis() < until) {
                Thread.sleep(200);
            }
            Optional<Long> drained = ledger.drainedAt().map(t -> t - start);
            return new Result(
                    subjects,
                    refused.get(),
                    joinMillis,
                    drained,
                    ledger.wrongSignOuts(),
                    ledger.wrongSignOutsByOccurredAt(),
                    ledger.fixedInTimeCount(),
                    ledger.rightSignOuts(),
                    ledger.restoredCount(),
                    ledger.unsettled(),
                    fixesAnswered.get(),
                    fixesLate.get(),
                    loadBefore,
                    LoadAverage.now());
        } finally {
            joins.shutdownNow();
            fixes.shutdownNow();
            fixSenders.shutdownNow();
        }
    }

    private int send(BenchSubject s, boolean compliant) {
        HttpRequest request = HttpRequest.newBuilder(registry.resolve(s.statePath()))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + s.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(s.report(compliant)))
                .build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
