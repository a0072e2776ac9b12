package dev.bulwark.compliance.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.compliance.projection.DeviceEventsConsumer;
import dev.bulwark.compliance.subject.SubjectCompliance;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

/**
 * A batch of check-ins costs a bounded number of statements, not a few per check-in: its rows, directory facts,
 * policies and pending remediation deadlines are read once up front, and its inserts go out in JDBC batches at commit.
 * Counted with Hibernate's statistics (every statement Hibernate prepares, native ones included; a JDBC batch counts
 * once) around one poll's worth of records handed to the consumer as Kafka would hand them: first check-ins of managed
 * devices and app instances of one tenant, each creating its device or app instance, its subject and a timeline entry —
 * and, when they fail with remediation on, a deadline and its step (in a join storm a flush per such subject was 45 % of
 * the consumer's CPU, docs/perf/2026-12-06-storm.md). A subject whose deadline the batch changes twice (fails, fixes,
 * fails again within one poll) still ends with exactly one pending deadline, its first one cancelled. A batch of fixes
 * ends its subjects' remediations with the deadlines and their steps read up front, so neither a query nor a flush per
 * subject (in the join storm, 5,000 fixes each flushed the batch: 17 % of the consumer's CPU). So does a chunk of due
 * deadlines that the deadline job fires (20 % of the service's CPU in the storm).
 */
@QuarkusTest
@TestProfile(CheckInBatchStatementsTest.RemediationWithStatistics.class)
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class CheckInBatchStatementsTest {

    /** Each kind's share of the batch: 2 x 100 check-ins. */
    private static final int PER_KIND = 100;

    /**
     * What the batch may cost, whatever its size: the locks (policy, members, one query per table), policies, directory
     * facts, inbox, the JDBC batches of inserts and updates, and the odd statement of a background job that runs
     * meanwhile. One query per check-in alone would be 200.
     */
    private static final long STATEMENT_BOUND = 60;

    /** The same with the remediations' deadlines read and their deadlines and steps written. */
    private static final long REMEDIATING_STATEMENT_BOUND = 70;

    /** Remediation on with a deadline that does not pass during the test, and Hibernate's statistics. */
    public static class RemediationWithStatistics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.hibernate-orm.statistics",
                    "true",
                    "bulwark.compliance.baseline.remediation-enabled",
                    "true",
                    "bulwark.compliance.baseline.remediation-deadline",
                    "PT1H");
        }
    }

    @Inject
    DeviceEventsConsumer consumer;

    @Inject
    SubjectCompliance subjectCompliance;

    @Inject
    EntityManagerFactory entityManagerFactory;

    @Inject
    EntityManager entityManager;

    @Test
    void aBatchOfTwoHundredFirstCheckInsCostsABoundedNumberOfStatements() {
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        List<DeviceStateReported> reports = firstCheckIns(first, true);

        long statements = statementsToApply(reports);
        System.out.printf("a batch of %d first check-ins: %d statements%n", reports.size(), statements);

        assertThat(count("select count(*) from compliance_subject where tenant_id = ?1", first.tenantId))
                .as("every check-in judged")
                .isEqualTo(2L * PER_KIND);
        assertThat(statements)
                .as("statements for a batch of %d check-ins", reports.size())
                .isLessThanOrEqualTo(STATEMENT_BOUND);
    }

    @Test
    void aBatchOfTwoHundredFailingFirstCheckInsStartsEveryRemediationWithABoundedNumberOfStatements() {
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        List<DeviceStateReported> reports = firstCheckIns(first, false);

        long statements = statementsToApply(reports);
        System.out.printf("a batch of %d failing first check-ins: %d statements%n", reports.size(), statements);

        assertThat(count(
                        "select count(*) from compliance_subject where tenant_id = ?1"
                                + " and state = 'NON_COMPLIANT_REMEDIATING'",
                        first.tenantId))
                .as("every subject remediating")
                .isEqualTo(2L * PER_KIND);
        assertThat(count(
                        "select count(*) from remediation_deadline where tenant_id = ?1 and status = 'PENDING'",
                        first.tenantId))
                .as("one pending deadline per subject")
                .isEqualTo(2L * PER_KIND);
        assertThat(statements)
                .as("statements for a batch of %d failing check-ins", reports.size())
                .isLessThanOrEqualTo(REMEDIATING_STATEMENT_BOUND);
    }

    @Test
    void aBatchOfTwoHundredFixesEndsEveryRemediationWithABoundedNumberOfStatements() {
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        Subjects subjects = Subjects.of(first);
        consumer.on(batchOf(subjects.checkIns(false)));
        List<DeviceStateReported> fixes = subjects.checkIns(true);

        long statements = statementsToApply(fixes);
        System.out.printf("a batch of %d fixes: %d statements%n", fixes.size(), statements);

        assertEveryRemediationEnded(first.tenantId, "COMPLIANT", "CANCELLED", "SUCCEEDED");
        assertThat(statements)
                .as("statements for a batch of %d fixes", fixes.size())
                .isLessThanOrEqualTo(REMEDIATING_STATEMENT_BOUND);
    }

    @Test
    void aChunkOfTwoHundredDueDeadlinesFiresWithABoundedNumberOfStatements() {
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        consumer.on(batchOf(firstCheckIns(first, false)));
        @SuppressWarnings("unchecked")
        List<Long> due = QuarkusTransaction.requiringNew().call(() -> ((List<Number>) entityManager
                        .createNativeQuery("select id from remediation_deadline where tenant_id = ?1"
                                + " and status = 'PENDING' order by id")
                        .setParameter(1, first.tenantId)
                        .getResultList())
                .stream().map(Number::longValue).toList());
        assertThat(due).hasSize(2 * PER_KIND);

        Statistics statistics =
                entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        long before = statistics.getPrepareStatementCount();
        // as the deadline job would once the watermark passes them (due in an hour: fired here with a later horizon)
        subjectCompliance.fireDeadlines(due, Instant.now().plus(Duration.ofHours(2)));
        long statements = statistics.getPrepareStatementCount() - before;
        System.out.printf("a chunk of %d due deadlines: %d statements%n", due.size(), statements);

        assertEveryRemediationEnded(first.tenantId, "SIGNED_OUT", "FIRED", "FAILED");
        assertThat(statements)
                .as("statements for a chunk of %d due deadlines", due.size())
                .isLessThanOrEqualTo(REMEDIATING_STATEMENT_BOUND);
    }

    @Test
    void aSubjectThatFailsFixesAndFailsAgainInOneBatchHasOneCancelledAndOnePendingDeadline() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        DeviceEvents device = DeviceEvents.of(app.tenantId, "user-device-" + app.userId);
        List<DeviceStateReported> reports = List.of(
                app.report("4.0", true, false),
                device.failingReport(),
                app.report("5.1", true, false),
                device.passingReport(),
                app.report("4.0", true, false),
                device.failingReport());

        consumer.on(batchOf(reports));

        for (String subject :
                List.of(reports.get(0).getSubjectId(), reports.get(1).getSubjectId())) {
            assertThat(count(
                            "select count(*) from remediation_deadline where tenant_id = ?1 and subject_id = '"
                                    + subject + "' and status = 'CANCELLED'",
                            app.tenantId))
                    .as("the first remediation of %s cancelled by its fix", subject)
                    .isEqualTo(1L);
            assertThat(count(
                            "select count(*) from remediation_deadline where tenant_id = ?1 and subject_id = '"
                                    + subject + "' and status = 'PENDING'",
                            app.tenantId))
                    .as("the second remediation of %s pending", subject)
                    .isEqualTo(1L);
        }
        assertThat(count(
                        "select count(*) from remediation_step s join remediation_deadline d on d.id = s.deadline_id"
                                + " where d.tenant_id = ?1",
                        app.tenantId))
                .as("each of the four remediations has its step")
                .isEqualTo(4L);
    }

    /**
     * Every one of the tenant's {@code 2 x PER_KIND} subjects is in {@code state}, its deadline has {@code deadline}
     * status (exactly once: one deadline each), and its remediation's step was reported ended with {@code attempt}
     * under the step's own attemptId (read from the batch, not invented).
     */
    private void assertEveryRemediationEnded(String tenantId, String state, String deadline, String attempt) {
        assertThat(count(
                        "select count(*) from compliance_subject where tenant_id = ?1 and state = '" + state + "'",
                        tenantId))
                .as("subjects %s", state)
                .isEqualTo(2L * PER_KIND);
        assertThat(count(
                        "select count(*) from remediation_deadline where tenant_id = ?1 and status = '" + deadline
                                + "'",
                        tenantId))
                .as("deadlines %s", deadline)
                .isEqualTo(2L * PER_KIND);
        assertThat(count(
                        "select count(*) from subject_timeline t join remediation_step s"
                                + " on s.attempt_id = t.detail ->> 'attemptId'"
                                + " join remediation_deadline d on d.id = s.deadline_id"
                                + " and d.subject_id = t.subject_id and d.tenant_id = t.tenant_id"
                                + " where t.tenant_id = ?1 and t.kind = 'REMEDIATION_ENDED'"
                                + " and t.detail ->> 'status' = '" + attempt + "'",
                        tenantId))
                .as("remediation steps reported %s under their own attemptId", attempt)
                .isEqualTo(2L * PER_KIND);
    }

    private static ConsumerRecords<String, byte[]> batchOf(List<DeviceStateReported> reports) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (DeviceStateReported report : reports) {
            records.add(new ConsumerRecord<>(
                    Topics.DEVICES, 0, offsets++, report.getSubjectId(), EventCodec.encode(report)));
        }
        return new ConsumerRecords<>(Map.of(new TopicPartition(Topics.DEVICES, 0), records), Map.of());
    }

    private static long offsets;

    private long count(String sql, String tenantId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                        .createNativeQuery(sql)
                        .setParameter(1, tenantId)
                        .getSingleResult())
                .longValue());
    }

    /** {@link #PER_KIND} app instances (other accounts of {@code first}'s app) and as many managed devices of its tenant. */
    private record Subjects(List<AppInstanceEvents> apps, List<DeviceEvents> devices) {
        static Subjects of(AppInstanceEvents first) {
            List<AppInstanceEvents> apps = new ArrayList<>();
            List<DeviceEvents> devices = new ArrayList<>();
            for (int i = 0; i < PER_KIND; i++) {
                apps.add(first.otherAccount("user-app-" + i + "-" + first.userId));
                devices.add(DeviceEvents.of(first.tenantId, "user-device-" + i + "-" + first.userId));
            }
            return new Subjects(apps, devices);
        }

        /** A check-in of each, app and device in turn, all passing or all failing. */
        List<DeviceStateReported> checkIns(boolean passing) {
            List<DeviceStateReported> reports = new ArrayList<>();
            for (int i = 0; i < PER_KIND; i++) {
                reports.add(apps.get(i).report(passing ? "5.1" : "4.0", true, false));
                reports.add(
                        passing
                                ? devices.get(i).passingReport()
                                : devices.get(i).failingReport());
            }
            return reports;
        }
    }

    /** First check-ins of new subjects of {@code first}'s tenant (see {@link Subjects}), passing or all failing. */
    private static List<DeviceStateReported> firstCheckIns(AppInstanceEvents first, boolean passing) {
        return Subjects.of(first).checkIns(passing);
    }

    /** The statements Hibernate prepares while the consumer applies {@code reports} as one poll. */
    private long statementsToApply(List<DeviceStateReported> reports) {
        Statistics statistics =
                entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        long before = statistics.getPrepareStatementCount();
        consumer.on(batchOf(reports));
        return statistics.getPrepareStatementCount() - before;
    }
}
