package dev.bulwark.registry.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.registry.shared.GroupCommit.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** The groups the batch was given, in order. */
    private final List<List<String>> groups = new CopyOnWriteArrayList<>();

    private final CountDownLatch firstGroupMayCommit = new CountDownLatch(1);

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /**
     * "refuse" is refused on its own, "poison" fails any transaction it is in, "hold" waits until the test lets it
     * commit; everything else is answered with its upper case.
     */
    private List<Outcome<String>> apply(List<String> requests) {
        groups.add(List.copyOf(requests));
        if (requests.contains("hold")) {
            await(firstGroupMayCommit);
        }
        if (requests.contains("poison")) {
            throw new IllegalStateException("the transaction rolled back");
        }
        List<Outcome<String>> outcomes = new ArrayList<>();
        for (String request : requests) {
            outcomes.add(
                    request.equals("refuse")
                            ? new Outcome.Refused<>(new IllegalArgumentException("refused " + request))
                            : new Outcome.Done<>(request.toUpperCase()));
        }
        return outcomes;
    }

    @Test
    void requestsArrivingWhileAGroupCommitsAreAppliedTogetherInTheNextAndEachGetsItsOwnAnswer() throws Exception {
        GroupCommit<String, String> group = new GroupCommit<>("test-group", 1, 100, this::apply);
        try {
            CompletableFuture<String> held = submit(group, "hold");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 1);
            List<CompletableFuture<String>> next = new ArrayList<>();
            for (String request : List.of("a", "b", "refuse", "c")) {
                // one after another: callers on their own threads would otherwise queue in any order
                submitInTurn(group, request, next);
            }
            assertThat(next).noneMatch(CompletableFuture::isDone);

            firstGroupMayCommit.countDown();

            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("HOLD");
            assertThat(next.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("A");
            assertThat(next.get(1).get(10, TimeUnit.SECONDS)).isEqualTo("B");
            assertThatThrownBy(() -> next.get(2).get(10, TimeUnit.SECONDS)).hasRootCauseMessage("refused refuse");
            assertThat(next.get(3).get(10, TimeUnit.SECONDS)).isEqualTo("C");
            assertThat(groups).containsExactly(List.of("hold"), List.of("a", "b", "refuse", "c"));
        } finally {
            group.stop();
        }
    }

    @Test
    void aGroupThatFailsIsAppliedAgainOneByOneSoOnlyThePoisonedRequestFails() throws Exception {
        GroupCommit<String, String> group = new GroupCommit<>("test-group", 1, 100, this::apply);
        try {
            CompletableFuture<String> held = submit(group, "hold");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 1);
            List<CompletableFuture<String>> queued = new ArrayList<>();
            submitInTurn(group, "a", queued);
            submitInTurn(group, "poison", queued);
            submitInTurn(group, "b", queued);
            CompletableFuture<String> a = queued.get(0);
            CompletableFuture<String> poison = queued.get(1);
            CompletableFuture<String> b = queued.get(2);

            firstGroupMayCommit.countDown();

            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("HOLD");
            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("A");
            assertThatThrownBy(() -> poison.get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseMessage("the transaction rolled back");
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("B");
            assertThat(groups)
                    .containsExactly(
                            List.of("hold"),
                            List.of("a", "poison", "b"),
                            List.of("a"),
                            List.of("poison"),
                            List.of("b"));
        } finally {
            group.stop();
        }
    }

    @Test
    void aGroupHoldsAtMostMaxGroupRequests() throws Exception {
        GroupCommit<String, String> group = new GroupCommit<>("test-group", 1, 2, this::apply);
        try {
            CompletableFuture<String> held = submit(group, "hold");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> groups.size() == 1);
            List<CompletableFuture<String>> next = new ArrayList<>();
            for (String request : List.of("a", "b", "c")) {
                submitInTurn(group, request, next);
            }
            firstGroupMayCommit.countDown();
            held.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<String> answer : next) {
                answer.get(10, TimeUnit.SECONDS);
            }
            assertThat(groups).containsExactly(List.of("hold"), List.of("a", "b"), List.of("c"));
        } finally {
            group.stop();
        }
    }

    private CompletableFuture<String> submit(GroupCommit<String, String> group, String request) {
        return CompletableFuture.supplyAsync(() -> group.submit(request), callers);
    }

    /** Submits {@code request} behind the ones in {@code queued} and waits until it is queued, so the order is known. */
    private void submitInTurn(
            GroupCommit<String, String> group, String request, List<CompletableFuture<String>> queued) {
        int before = group.queued();
        queued.add(submit(group, request));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> group.queued() == before + 1);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the group commit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
