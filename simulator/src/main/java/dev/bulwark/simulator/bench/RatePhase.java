package dev.bulwark.simulator.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One offered rate held for a fixed time: check-ins sent open-loop (each at its due moment, whether or not the earlier
 * ones were answered) through device-registry's front door, a steady mix of compliant reports of known subjects and
 * first, non-compliant reports of fresh ones (each of which must become a SignOutRequired). A check-in due while
 * {@code maxInFlight} are still waiting for their answer is not sent (counted: the front door is saturated), so the
 * generator never queues behind the service and every latency counts from the moment its request left.
 */
final class RatePhase {

    /** What the phase saw; latency samples as {when the request left, ms after the phase start; latency ms}. */
    record Result(
            int rate,
            long lengthMillis,
            int offered,
            int sent,
            int accepted,
            int maxInFlight,
            Map<Integer, Integer> statuses,
            List<long[]> http,
            // per sample: sent (ms into the phase), report -> SignOutRequired, then its hops (HOP_* columns)
            List<long[]> signOut,
            int expectedSignOuts,
            int missingSignOuts,
            long answeredWithinMillis,
            String loadBefore,
            String loadAfter) {

        /** Check-ins accepted per second, over the phase and the time its last answers took. */
        double acceptedPerSecond() {
            return answeredWithinMillis == 0 ? 0 : accepted * 1000.0 / answeredWithinMillis;
        }
    }

    private final HttpClient client;
    private final URI registry;
    private final int maxInFlight;

    RatePhase(HttpClient client, URI registry, int maxInFlight) {
        this.client = client;
        this.registry = registry;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Offers {@code rate}/s for {@code length}: every report whose index crosses a multiple of 1/nonCompliantShare is a
     * fresh subject's non-compliant one (managed or not by {@code managedShare}, same rule), the rest compliant reports
     * of the pool; then waits up to {@code drain} for the sign-outs still expected.
     */
    Result run(
            int rate,
            Duration length,
            double nonCompliantShare,
            double managedShare,
            List<BenchSubject> poolManaged,
            List<BenchSubject> poolUnmanaged,
            Deque<BenchSubject> freshManaged,
            Deque<BenchSubject> freshUnmanaged,
            SignOutWaits waits,
            Duration drain)
            throws InterruptedException {
        String loadBefore = LoadAverage.now();
        int offered = (int) Math.round(rate * length.toMillis() / 1000.0);
        long period = 1_000_000_000L / rate;
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicInteger accepted = new AtomicInteger();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<long[]> http = new ArrayList<>(offered);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        int sent = 0;
        int expected = 0;
        int nonCompliantSeen = 0;
        int compliantSeen = 0;
        int managedCursor = 0;
        int unmanagedCursor = 0;
        for (int i = 0; i < offered; i++) {
            long due = start + i * period;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (System.nanoTime() >= end) {
                break;
            }
            if (!inFlight.tryAcquire()) {
                continue; // the front door holds maxInFlight already: this check-in is not sent (counted)
            }
            boolean nonCompliant = crosses(i, nonCompliantShare);
            BenchSubject subject;
            if (nonCompliant) {
                boolean managed = crosses(nonCompliantSeen++, managedShare);
                Deque<BenchSubject> fresh = managed || freshUnmanaged.isEmpty() ? freshManaged : freshUnmanaged;
                subject = fresh.isEmpty() ? (freshManaged.isEmpty() ? null : freshManaged.poll()) : fresh.poll();
                if (subject == null) {
                    nonCompliant = false;
                }
            } else {
                subject = null;
            }
            if (subject == null) {
                boolean managed = crosses(compliantSeen++, managedShare) || poolUnmanaged.isEmpty();
                subject = managed
                        ? poolManaged.get(managedCursor++ % poolManaged.size())
                        : poolUnmanaged.get(unmanagedCursor++ % poolUnmanaged.size());
            }
            long sentAt = System.nanoTime();
            if (nonCompliant) {
                waits.expect(subject.subjectId(), sentAt);
                expected++;
            }
            sent++;
            BenchSubject s = subject;
            boolean nc = nonCompliant;
            HttpRequest request = HttpRequest.newBuilder(registry.resolve(s.statePath()))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + s.token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(s.report(!nc)))
                    .build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                long answered = System.nanoTime();
                int status = failure == null ? response.statusCode() : -1;
                statuses.merge(status, 1, Integer::sum);
                if (status >= 200 && status < 300) {
                    accepted.incrementAndGet();
                    if (nc) {
                        waits.answered(s.subjectId(), answered);
                    }
                } else if (nc) {
                    waits.forget(s.subjectId());
                }
                synchronized (http) {
                    http.add(new long[] {(sentAt - start) / 1_000_000, (answered - sentAt) / 1_000_000, answered - start
                    });
                }
                inFlight.release();
            });
        }
        // every answer in (or the HTTP timeout)
        inFlight.tryAcquire(maxInFlight, 70, TimeUnit.SECONDS);
        long answeredWithin;
        synchronized (http) {
            answeredWithin = http.stream().mapToLong(h -> h[2]).max().orElse(0) / 1_000_000;
        }
        long drainUntil = System.nanoTime() + drain.toNanos();
        while (waits.stillOpen() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(100);
        }
        int missing = waits.stillOpen();
        List<long[]> signOut = new ArrayList<>();
        for (SignOutWaits.Sample sample : waits.drain()) {
            signOut.add(new long[] {
                (sample.sentNanos() - start) / 1_000_000,
                sample.latencyMillis(),
                sample.answerMillis(),
                sample.relayMillis(),
                sample.evaluationMillis(),
                sample.deliveryMillis()
            });
        }
        List<long[]> httpSamples;
        synchronized (http) {
            httpSamples = http.stream().map(h -> new long[] {h[0], h[1]}).toList();
        }
        return new Result(
                rate,
                length.toMillis(),
                offered,
                sent,
                accepted.get(),
                maxInFlight,
                new TreeMap<>(statuses),
                httpSamples,
                signOut,
                expected,
                missing,
                Math.max(length.toMillis(), answeredWithin),
                loadBefore,
                LoadAverage.now());
    }

    /** True for the index at which the running count of a {@code share} steps up (share 0.1: 9, 19, 29, …). */
    static boolean crosses(int index, double share) {
        return Math.floor((index + 1) * share) > Math.floor(index * share);
    }
}
