package dev.bulwark.policy.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.policy.signin.SignInStateFeed;
import dev.bulwark.policy.signout.SignOutState;
import dev.bulwark.policy.support.SignInVersions;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every replica learns what changes sign-in answers from Kafka, whichever replica's consumer holds the partition: two
 * feeds, each with its own sign-out state and versions (two replicas' memories), both see a SignOutRequired within a
 * second and both catch up from the database within a second of a directory change.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class SignInStateFeedTest {

    private static final String MAIL = "com.contoso.mail";

    /** One replica's memory: what its feed writes to. */
    private static final class Replica implements AutoCloseable {
        final SignInVersions versions = new SignInVersions();
        final SignOutState signOuts = new SignOutState(versions);
        final AtomicInteger catchUps = new AtomicInteger();
        final SignInStateFeed feed = new SignInStateFeed(
                        BulwarkInfra.kafkaBootstrap(), signOuts, catchUps::incrementAndGet, Clock.systemUTC())
                .start();

        @Override
        public void close() {
            feed.close();
        }
    }

    @Test
    void everyReplicaLearnsASignOutRequiredWithinOneSecond() {
        Fixtures f = new Fixtures();
        try (Replica a = new Replica();
                Replica b = new Replica()) {
            await().atMost(Fixtures.EVENT_TIMEOUT).until(() -> a.feed.ready() && b.feed.ready());
            long versionA = a.versions.account(f.tenant, "fin");
            long versionB = b.versions.account(f.tenant, "fin");

            f.signOut("fin", MAIL, false);

            await("both replicas signed out within 1 s")
                    .atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> !a.signOuts
                                    .standing(f.tenant, "fin", MAIL, Fixtures.REGISTRATION)
                                    .isEmpty()
                            && !b.signOuts
                                    .standing(f.tenant, "fin", MAIL, Fixtures.REGISTRATION)
                                    .isEmpty());
            assertThat(a.versions.account(f.tenant, "fin"))
                    .as("replica A's answers retired")
                    .isGreaterThan(versionA);
            assertThat(b.versions.account(f.tenant, "fin"))
                    .as("replica B's answers retired")
                    .isGreaterThan(versionB);
        }
    }

    @Test
    void everyReplicaCatchesUpWithinOneSecondOfADirectoryChange() {
        Fixtures f = new Fixtures();
        try (Replica a = new Replica();
                Replica b = new Replica()) {
            await().atMost(Fixtures.EVENT_TIMEOUT).until(() -> a.feed.ready() && b.feed.ready());
            int beforeA = a.catchUps.get();
            int beforeB = b.catchUps.get();

            f.licence("gil", true);

            await("both replicas caught up within 1 s")
                    .atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> a.catchUps.get() > beforeA && b.catchUps.get() > beforeB);
        }
    }
}
