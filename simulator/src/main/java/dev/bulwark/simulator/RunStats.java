package dev.bulwark.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The counters one run keeps, written from many threads and read by the progress line and the summary. */
public final class RunStats {

    /** What the fleet did, by name (enrolled, registered, signIns, pinSet, reports, httpErrors, …). */
    private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
    /** Events of this run's tenants seen on the topics, by record name. */
    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();

    final LongAdder remediationsTried = new LongAdder();
    final LongAdder remediationsSucceeded = new LongAdder();
    final LongAdder remediationsFailed = new LongAdder();
    final LongAdder signOuts = new LongAdder();
    final ConcurrentLinkedQueue<Long> signOutLatencies = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> failedLatencies = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> sampleMessages = new ConcurrentLinkedQueue<>();
    final Map<String, LongAdder> httpErrors = new ConcurrentHashMap<>();
    final AtomicLong startedAt = new AtomicLong(System.nanoTime());

    public void action(String name) {
        actions.computeIfAbsent(name, k -> new LongAdder()).increment();
    }

    public void event(String type) {
        events.computeIfAbsent(type, k -> new LongAdder()).increment();
    }

    public void httpError(String call, int status) {
        httpErrors.computeIfAbsent(call + " " + status, k -> new LongAdder()).increment();
    }

    public void signOutMessage(String message) {
        if (sampleMessages.size() < 3) {
            sampleMessages.add(message);
        }
    }

    public long actionCount(String name) {
        LongAdder a = actions.get(name);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> actions() {
        return snapshot(actions);
    }

    public Map<String, Long> events() {
        return snapshot(events);
    }

    public Map<String, Long> httpErrors() {
        return snapshot(httpErrors);
    }

    public List<String> messages() {
        return new ArrayList<>(sampleMessages);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
