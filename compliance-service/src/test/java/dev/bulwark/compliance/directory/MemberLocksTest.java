package dev.bulwark.compliance.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Judges of a member's subjects (batches of check-ins) share the member's lock and never wait for each other; a change
 * of what the directory says of the member waits for every judge holding it, and judges that come after wait for the
 * change.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class MemberLocksTest {

    @Inject
    MemberLocks locks;

    @Test
    void twoBatchesJudgingTheSameUserDoNotWaitForEachOtherButADirectoryChangeWaitsForBoth() throws Exception {
        String tenant = "member-locks-" + UUID.randomUUID();
        List<String> user = List.of("ada");
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);

        CompletableFuture<Void> first = CompletableFuture.runAsync(
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    locks.shared(tenant, user);
                    firstHolds.countDown();
                    await(releaseFirst);
                }));
        assertThat(firstHolds.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            // a second judge of the same user gets the lock while the first holds it
            CompletableFuture<Void> second = CompletableFuture.runAsync(
                    () -> QuarkusTransaction.requiringNew().run(() -> locks.shared(tenant, user)));
            second.get(5, TimeUnit.SECONDS);

            // a directory change of that user waits for the first judge to commit
            CompletableFuture<Void> change = CompletableFuture.runAsync(
                    () -> QuarkusTransaction.requiringNew().run(() -> locks.exclusive(tenant, user)));
            assertThat(waitedAtLeast(change, 1_500)).isTrue();
            releaseFirst.countDown();
            first.get(10, TimeUnit.SECONDS);
            change.get(10, TimeUnit.SECONDS);
        } finally {
            releaseFirst.countDown();
        }
    }

    @Test
    void aJudgeWaitsForADirectoryChangeOfTheUserInProgress() throws Exception {
        String tenant = "member-locks-" + UUID.randomUUID();
        List<String> user = List.of("bob");
        CountDownLatch changeHolds = new CountDownLatch(1);
        CountDownLatch releaseChange = new CountDownLatch(1);

        CompletableFuture<Void> change = CompletableFuture.runAsync(
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    locks.exclusive(tenant, user);
                    changeHolds.countDown();
                    await(releaseChange);
                }));
        assertThat(changeHolds.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            CompletableFuture<Void> judge = CompletableFuture.runAsync(
                    () -> QuarkusTransaction.requiringNew().run(() -> locks.shared(tenant, user)));
            assertThat(waitedAtLeast(judge, 1_500)).isTrue();
            // another user of the tenant is not held up
            CompletableFuture.runAsync(
                            () -> QuarkusTransaction.requiringNew().run(() -> locks.shared(tenant, List.of("carol"))))
                    .get(5, TimeUnit.SECONDS);
            releaseChange.countDown();
            judge.get(10, TimeUnit.SECONDS);
            change.get(10, TimeUnit.SECONDS);
        } finally {
            releaseChange.countDown();
        }
    }

    /** True when the future has not completed within {@code millis}. */
    private static boolean waitedAtLeast(CompletableFuture<Void> future, long millis) throws Exception {
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException stillWaiting) {
            return true;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
