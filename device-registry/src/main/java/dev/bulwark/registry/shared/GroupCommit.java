package dev.bulwark.registry.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: requests that arrive together are applied together, in ONE transaction, and each caller is answered
 * only once that transaction has committed. A few committer threads each take whatever is queued (up to
 * {@code maxGroup}) and hand it to {@link Batch} (which runs the transaction and decides each request's outcome);
 * while they commit, the next requests queue up for the following groups. So the number of transactions follows the
 * database's pace, not the request rate: when requests come slowly a group is one request, when they come faster than
 * the committers commit, groups grow. Groups of different committers may hold the same key: {@link Batch} must lock
 * what it changes in a fixed order (two groups then wait for each other rather than deadlock).
 *
 * <p>One request's refusal is its own: {@link Batch} answers a request it refuses (unknown, forbidden, in conflict)
 * with {@link Outcome.Refused} without writing anything for it, and the others commit. When the whole transaction
 * fails, each request of the group is applied again alone, in a transaction of its own, so a request that poisons the
 * group gets its own error and the others succeed.
 *
 * @param <T> a request, already validated
 * @param <R> what its caller is answered
 */
public final class GroupCommit<T, R> {

    /** Applies a group in one transaction; returns one outcome per request, in order; throws when it rolled back. */
    @FunctionalInterface
    public interface Batch<T, R> {
        List<Outcome<R>> apply(List<T> requests);
    }

    /** What became of one request of a committed group. */
    public sealed interface Outcome<R> {

        /** Applied (or taken as contact only); its caller gets {@code result}. */
        record Done<R>(R result) implements Outcome<R> {}

        /** Refused without writing anything; its caller gets {@code refusal} thrown. */
        record Refused<R>(RuntimeException refusal) implements Outcome<R> {}
    }

    private record Pending<T, R>(T request, CompletableFuture<R> answer) {}

    private final Batch<T, R> batch;
    private final int maxGroup;
    private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean running = true;

    public GroupCommit(String name, int committerCount, int maxGroup, Batch<T, R> batch) {
        if (maxGroup < 1 || committerCount < 1) {
            throw new IllegalArgumentException("at least one committer, and a group holds at least one request");
        }
        this.batch = batch;
        this.maxGroup = maxGroup;
        for (int i = 0; i < committerCount; i++) {
            Thread committer = new Thread(this::commitGroups, name + "-" + i);
            committer.setDaemon(true);
            committers.add(committer);
            committer.start();
        }
    }

    /**
     * Queues {@code request} for the next group and waits until that group has committed (or rolled back).
     *
     * @return the request's result
     * @throws RuntimeException the request's own refusal or failure
     */
    public R submit(T request) {
        if (!running) {
            throw new IllegalStateException("the service is stopping");
        }
        CompletableFuture<R> answer = new CompletableFuture<>();
        queue.add(new Pending<>(request, answer));
        try {
            return answer.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /** Requests waiting for a group (not those of the group being committed). */
    public int queued() {
        return queue.size();
    }

    /** Stops taking groups; requests still queued are failed. */
    public void stop() {
        running = false;
        committers.forEach(Thread::interrupt);
        for (Thread committer : committers) {
            try {
                committer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending<T, R>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.answer().completeExceptionally(new IllegalStateException("the service is stopping")));
    }

    private void commitGroups() {
        List<Pending<T, R>> group = new ArrayList<>(maxGroup);
        while (running) {
            try {
                Pending<T, R> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            commit(group);
            group.clear();
        }
    }

    private void commit(List<Pending<T, R>> group) {
        List<Outcome<R>> outcomes;
        try {
            outcomes = batch.apply(group.stream().map(Pending::request).toList());
        } catch (RuntimeException | Error groupFailed) {
            if (group.size() == 1) {
                group.get(0).answer().completeExceptionally(groupFailed);
                return;
            }
            // one request may have poisoned the group: each alone, so only that one gets the failure
            for (Pending<T, R> pending : group) {
                try {
                    settle(List.of(pending), batch.apply(List.of(pending.request())));
                } catch (RuntimeException | Error failed) {
                    pending.answer().completeExceptionally(failed);
                }
            }
            return;
        }
        settle(group, outcomes);
    }

    private static <T, R> void settle(List<Pending<T, R>> group, List<Outcome<R>> outcomes) {
        for (int i = 0; i < group.size(); i++) {
            CompletableFuture<R> answer = group.get(i).answer();
            Outcome<R> outcome = i < outcomes.size() ? outcomes.get(i) : null;
            if (outcome instanceof Outcome.Done<R> done) {
                answer.complete(done.result());
            } else if (outcome instanceof Outcome.Refused<R> refused) {
                answer.completeExceptionally(refused.refusal());
            } else {
                answer.completeExceptionally(new IllegalStateException("no outcome for a request of the group"));
            }
        }
    }
}
