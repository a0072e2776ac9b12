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
        try (Held first = Held.inTransaction(() -> locks.shared(tenant, user))) {
            // a second judge of the same user gets the lock while the first holds it
            inTransaction(() -> locks.shared(tenant, user)).get(5, TimeUnit.SECONDS);

            // a directory change of that user waits for the first judge to commit
            CompletableFuture<Void> change = inTransaction(() -> locks.exclusive(tenant, user));
            assertThat(waitedAtLeast(change, 1_500)).isTrue();
            first.release();
            change.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJudgeWaitsForADirectoryChangeOfTheUserInProgress() throws Exception {
        String tenant = "member-locks-" + UUID.randomUUID();
        List<String> user = List.of("bob");
        try (Held change = Held.inTransaction(() -> locks.exclusive(tenant, user))) {
            CompletableFuture<Void> judge = inTransaction(() -> locks.shared(tenant, user));
            assertThat(waitedAtLeast(judge, 1_500)).isTrue();
            // another user of the tenant is not held up
            inTransaction(() -> locks.shared(tenant, List.of("carol"))).get(5, TimeUnit.SECONDS);
            change.release();
            judge.get(10, TimeUnit.SECONDS);
        }
    }

    /** A transaction, on another thread, that takes a lock and holds it until released. */
    private record Held(CompletableFuture<Void> done, CountDownLatch unlock) implements AutoCloseable {

        static Held inTransaction(Runnable lock) throws InterruptedException {
            CountDownLatch holds = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> done = MemberLocksTest.inTransaction(() -> {
                lock.run();
                holds.countDown();
                await(release);
            });
            assertThat(holds.await(10, TimeUnit.SECONDS))
                    .as("the lock was taken")
                    .isTrue();
            return new Held(done, release);
        }

        void release() throws Exception {
            unlock.countDown();
            done.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            unlock.countDown();
        }
    }

    private static CompletableFuture<Void> inTransaction(Runnable work) {
        return CompletableFuture.runAsync(
                () -> QuarkusTransaction.requiringNew().run(work));
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
