package dev.bulwark.compliance.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An unmanaged check-in changes only columns without an index, so PostgreSQL updates the app instance's row in place
 * (a HOT update): no new entry in any of the table's indexes, no dead version for the next lock of the row to step over
 * before vacuum comes by. It moves the offline wipe time at every check-in; the offline job's index is on the hour of
 * that time (V23), which moves at most once an hour. Counted with PostgreSQL's per-transaction statistics of the table.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class CheckInUpdatesInPlaceTest {

    /** A check-in at 10:05 after one at 10:00 (UTC): the wipe time moves five minutes within the same hour. */
    private static final Instant FIRST = Instant.parse("2026-03-02T10:00:00Z");

    private static final Instant SECOND = FIRST.plus(Duration.ofMinutes(5));

    private static final Duration WIPE_AFTER = Duration.ofDays(30);

    @Inject
    EntityManager entityManager;

    @Test
    void anUnmanagedCheckInThatMovesTheOfflineWipeTimeUpdatesTheRowInPlace() {
        // HOT needs room on the row's page as well as no indexed column changed. Other tests of this JVM update rows
        // on the same pages, and dead versions that an open snapshot still sees cannot be pruned, so a page can be
        // full. A version that stays on its page but is not HOT means an indexed column changed (the rule under
        // test, fails at once); one that moved to another page means the page was full: try again with a new row.
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            CheckIn checkIn = checkInOnce();
            assertThat(checkIn.updated())
                    .as("rows of app_instance updated by the check-in")
                    .isEqualTo(1);
            if (checkIn.hot() == 1) {
                return;
            }
            assertThat(checkIn.fromPage())
                    .as("a version updated on its own page but not in place: the check-in changed an indexed column")
                    .isNotEqualTo(checkIn.toPage());
        }
        fail("the row's page had no room in " + ATTEMPTS + " attempts; nothing was learnt about the indexes");
    }

    private static final int ATTEMPTS = 5;

    /** What one check-in did to its row: updates counted by PostgreSQL, and the page before and after. */
    private record CheckIn(long updated, long hot, long fromPage, long toPage) {}

    private CheckIn checkInOnce() {
        String tenant = "hot-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            AppInstance instance =
                    new AppInstance(tenant, "reg-1", "user-1", "com.contoso.mail", Platform.ANDROID, FIRST);
            instance.reported(
                    "user-1", Platform.ANDROID, "15", Optional.of("5.1"), Optional.of(true), false, FIRST, FIRST);
            instance.offlinePeriods(Optional.of(Duration.ofDays(1)), Optional.of(WIPE_AFTER));
            entityManager.persist(instance);
        });

        return QuarkusTransaction.requiringNew().call(() -> {
            AppInstance instance = entityManager
                    .createQuery(
                            "from AppInstance a where a.tenantId = :tenant and a.registrationId = 'reg-1'",
                            AppInstance.class)
                    .setParameter("tenant", tenant)
                    .getSingleResult();
            long fromPage = page(tenant);
            // the counters may include what earlier transactions of this pooled session did and PostgreSQL has not
            // yet folded into its shared statistics: read them before and after, in this one transaction
            long[] before = updateCounters();
            instance.reported(
                    "user-1", Platform.ANDROID, "15", Optional.of("5.2"), Optional.of(true), false, SECOND, SECOND);
            instance.offlinePeriods(Optional.of(Duration.ofDays(1)), Optional.of(WIPE_AFTER));
            assertThat(instance.offlineWipeAt()).contains(SECOND.plus(WIPE_AFTER));
            entityManager.flush();
            long[] after = updateCounters();
            return new CheckIn(after[0] - before[0], after[1] - before[1], fromPage, page(tenant));
        });
    }

    /** The heap page that holds the tenant's row now. */
    private long page(String tenant) {
        Object block = entityManager
                .createNativeQuery("select (ctid::text::point)[0]::bigint from app_instance where tenant_id = :tenant")
                .setParameter("tenant", tenant)
                .getSingleResult();
        return ((Number) block).longValue();
    }

    /** app_instance's rows updated and HOT-updated by this transaction so far (and not yet flushed before it). */
    private long[] updateCounters() {
        Object[] counts = (Object[]) entityManager
                .createNativeQuery("select pg_stat_get_xact_tuples_updated('app_instance'::regclass),"
                        + " pg_stat_get_xact_tuples_hot_updated('app_instance'::regclass)")
                .getSingleResult();
        return new long[] {((Number) counts[0]).longValue(), ((Number) counts[1]).longValue()};
    }
}
