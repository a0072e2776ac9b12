package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.Api.probe;
import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.compliance.offline.OfflineJob;
import dev.bulwark.compliance.watermark.Watermarks;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A tenant whose app instances all went offline at once: more offline wipes due than one page of the job, all signed
 * out in one round, as the remediation deadlines are.
 */
@QuarkusTest
@TestProfile(RemediationEnabledProfile.class)
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class OfflineBacklogFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    EntityManager entityManager;

    @Inject
    OfflineJob offlineJob;

    @Inject
    Watermarks watermarks;

    @Inject
    Scheduler scheduler;

    @Test
    void aBacklogOfOfflineWipesSeveralPagesLongIsSignedOutInOneRoundOfTheJob() {
        int backlog = RemediationEnabledProfile.DEADLINE_PAGE * 2 + 2;
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        List<AppInstanceEvents> apps = IntStream.range(0, backlog)
                .mapToObj(i -> i == 0 ? first : first.otherAccount(first.userId + "-" + i))
                .toList();
        PolicyEvents tenant = new PolicyEvents(first.tenantId);
        for (AppInstanceEvents app : apps) {
            tenant.licence(app.userId, true);
        }
        for (AppInstanceEvents app : apps) {
            Projections.awaitLicence(entityManager, app.tenantId, app.userId, true);
        }
        String policyId = PolicyEvents.newId("app-policy");
        tenant.appProtection(
                policyId,
                1,
                List.of(allUsers()),
                "{\"pinRequired\": true, \"offlineGracePeriodBeforeAccessCheck\": \"PT1S\","
                        + " \"offlineGracePeriodBeforeWipe\": \"PT2S\", \"remediationEnabled\": false}");
        Projections.awaitPolicy(entityManager, first.tenantId, policyId, 1);

        scheduler.pause(OfflineJob.IDENTITY);
        try (TopicProbe signOuts = probe(Topics.SIGNOUT)) {
            for (AppInstanceEvents app : apps) {
                app.publish(app.registered("6.0"));
                app.publish(app.report("6.0", true, false));
            }
            await().atMost(EVENT_TIMEOUT).until(() -> wipeTimes(first.tenantId).size() == backlog);
            Instant lastDue =
                    wipeTimes(first.tenantId).stream().max(Instant::compareTo).orElseThrow();
            await().atMost(EVENT_TIMEOUT).until(() -> watermarks
                    .devicesHorizon()
                    .filter(h -> !h.isBefore(lastDue))
                    .isPresent());

            offlineJob.signOutOffline();

            assertThat(unwiped(first.tenantId))
                    .as(
                            "one round signs out every app instance due, not one page of %d",
                            RemediationEnabledProfile.DEADLINE_PAGE)
                    .isZero();
            for (AppInstanceEvents app : apps) {
                SignOutRequired signOut = signOuts.await(
                        SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
                assertThat(signOut.getReason()).isEqualTo(SignOutReason.OFFLINE_TOO_LONG);
            }
        } finally {
            scheduler.resume(OfflineJob.IDENTITY);
        }
    }

    private List<Instant> wipeTimes(String tenantId) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery(
                        "select offline_wipe_at from app_instance where tenant_id = ?1 and offline_wipe_at is not null",
                        OffsetDateTime.class)
                .setParameter(1, tenantId)
                .getResultList()
                .stream()
                .map(value -> ((OffsetDateTime) value).toInstant())
                .toList());
    }

    private long unwiped(String tenantId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                        .createNativeQuery("select count(*) from app_instance where tenant_id = ?1"
                                + " and offline_wipe_at is not null and offline_wiped_at is null")
                        .setParameter(1, tenantId)
                        .getSingleResult())
                .longValue());
    }
}
