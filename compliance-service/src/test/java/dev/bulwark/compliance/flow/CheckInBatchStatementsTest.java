package dev.bulwark.compliance.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.compliance.projection.DeviceEventsConsumer;
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
 * A batch of check-ins costs a bounded number of statements, not a few per check-in: its rows, directory facts and
 * policies are read once up front, and its inserts go out in JDBC batches. Counted with Hibernate's statistics (every
 * statement Hibernate prepares, native ones included; a JDBC batch counts once) around one poll's worth of records
 * handed to the consumer as Kafka would hand them: first check-ins of managed devices and app instances of one tenant,
 * each creating its device or app instance, its subject and a timeline entry.
 */
@QuarkusTest
@TestProfile(CheckInBatchStatementsTest.WithStatistics.class)
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

    /** Hibernate's statistics on, for this test only. */
    public static class WithStatistics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.hibernate-orm.statistics", "true");
        }
    }

    @Inject
    DeviceEventsConsumer consumer;

    @Inject
    EntityManagerFactory entityManagerFactory;

    @Inject
    EntityManager entityManager;

    @Test
    void aBatchOfTwoHundredFirstCheckInsCostsABoundedNumberOfStatements() {
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        List<DeviceStateReported> reports = new ArrayList<>();
        for (int i = 0; i < PER_KIND; i++) {
            reports.add(first.otherAccount("user-app-" + i + "-" + first.userId).report("5.1", true, false));
            reports.add(DeviceEvents.of(first.tenantId, "user-device-" + i + "-" + first.userId)
                    .passingReport());
        }
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (DeviceStateReported report : reports) {
            records.add(new ConsumerRecord<>(
                    Topics.DEVICES, 0, records.size(), report.getSubjectId(), EventCodec.encode(report)));
        }
        TopicPartition partition = new TopicPartition(Topics.DEVICES, 0);
        Statistics statistics =
                entityManagerFactory.unwrap(SessionFactory.class).getStatistics();

        long before = statistics.getPrepareStatementCount();
        consumer.on(new ConsumerRecords<>(Map.of(partition, records), Map.of()));
        long statements = statistics.getPrepareStatementCount() - before;
        System.out.printf("a batch of %d first check-ins: %d statements%n", reports.size(), statements);

        assertThat(subjectsOf(first.tenantId)).as("every check-in judged").isEqualTo(2L * PER_KIND);
        assertThat(statements)
                .as("statements for a batch of %d check-ins", reports.size())
                .isLessThanOrEqualTo(STATEMENT_BOUND);
    }

    private long subjectsOf(String tenantId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                        .createNativeQuery("select count(*) from compliance_subject where tenant_id = ?1")
                        .setParameter(1, tenantId)
                        .getSingleResult())
                .longValue());
    }
}
