package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.PolicyEvents.allUsers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.compliance.evaluation.TenantPolicyLocks;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * How a policy change and the check-ins of its tenant are ordered, and how a policy change's fan-out survives the
 * process that started it. The tests hold the tenant's policy lock from their own database session, as a policy change
 * being stored (exclusive) or a batch of check-ins being judged (shared) would, and show that the other side waits for
 * it; and they leave a fan-out plan behind as a process that died midway would, and show that it is finished from its
 * cursor.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class PolicyChangeOrderingFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(3);
    /** Breaks no baseline rule for the reports below (app 6.1, PIN set) but this policy's minimum app version. */
    private static final String APP_7_NO_REMEDIATION =
            "{\"minimumAppVersion\": {\"block\": \"7.0\"}, \"remediationEnabled\": false}";

    @Inject
    EntityManager entityManager;

    @Test
    void aCheckInWaitsForAPolicyChangeOfItsTenantThatIsBeingStored() throws Exception {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        try (Connection session = session()) {
            lock(session, "pg_advisory_xact_lock", app.tenantId);
            app.publish(app.registered("6.1"));
            app.publish(app.report("6.1", true, false));
            awaitWaiterOn(app.tenantId);
            assertThat(reportedInstances(app.tenantId))
                    .as("judged while the tenant's policy change was stored")
                    .isZero();
            session.commit();
        }
        await().atMost(EVENT_TIMEOUT).until(() -> reportedInstances(app.tenantId) == 1);
    }

    @Test
    void aPolicyChangeWaitsForTheCheckInsOfItsTenantBeingJudgedAndItsFanOutSeesThem() throws Exception {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        PolicyEvents tenant = new PolicyEvents(app.tenantId);
        tenant.licence(app.userId, true);
        Projections.awaitLicence(entityManager, app.tenantId, app.userId, true);
        try (TopicProbe compliance = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.COMPLIANCE)) {
            // the app's first check-in, judged on no policy
            app.publish(app.registered("6.1"));
            app.publish(app.report("6.1", true, false));
            await().atMost(EVENT_TIMEOUT).until(() -> reportedInstances(app.tenantId) == 1);
            PolicyChanged policy;
            try (Connection session = session()) {
                // as a batch of the tenant's check-ins being judged
                lock(session, "pg_advisory_xact_lock_shared", app.tenantId);
                policy = tenant.appProtection(
                        PolicyEvents.newId("app-policy"), 1, List.of(allUsers()), APP_7_NO_REMEDIATION);
                awaitWaiterOn(app.tenantId);
                assertThat(storedPolicies(app.tenantId))
                        .as("stored while check-ins of the tenant were judged")
                        .isZero();
                session.commit();
            }
            // the change's fan-out, after it committed, judges the check-in that committed before it
            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(failed.getCauseEventId()).isEqualTo(policy.getEventId());
            assertThat(failed.getViolations()).extracting(v -> v.getPolicyId()).containsOnly(policy.getPolicyId());
        }
    }

    @Test
    void aFanOutLeftUnfinishedByAStoppedProcessIsFinishedFromWhereItStood() throws Exception {
        // two accounts of a tenant, judged compliant while no policy applies
        AppInstanceEvents first = AppInstanceEvents.newMailApp().otherAccount("aaa-" + System.nanoTime());
        AppInstanceEvents second = first.otherAccount("zzz-" + System.nanoTime());
        assertThat(first.registrationId).isLessThan(second.registrationId);
        PolicyEvents tenant = new PolicyEvents(first.tenantId);
        for (AppInstanceEvents app : List.of(first, second)) {
            tenant.licence(app.userId, true);
            Projections.awaitLicence(entityManager, app.tenantId, app.userId, true);
            app.publish(app.registered("6.1"));
            app.publish(app.report("6.1", true, false));
        }
        await().atMost(EVENT_TIMEOUT).until(() -> reportedInstances(first.tenantId) == 2);

        // the same policy, stored in another tenant through the topic
        PolicyEvents elsewhere = new PolicyEvents("elsewhere-" + first.tenantId);
        PolicyChanged policy =
                elsewhere.appProtection(PolicyEvents.newId("app-policy"), 1, List.of(allUsers()), APP_7_NO_REMEDIATION);
        await().atMost(EVENT_TIMEOUT).until(() -> storedPolicies(elsewhere.tenantId) == 1);

        try (TopicProbe compliance = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.COMPLIANCE)) {
            // what a process leaves that stored the policy in this tenant, judged the first account and then died
            try (Connection session = session()) {
                execute(
                        session,
                        "insert into policy (tenant_id, policy_id, kind, version, name, platform, targets, settings,"
                                + " deleted, changed_at) select ?, policy_id, kind, version, name, platform, targets,"
                                + " settings, deleted, changed_at from policy where tenant_id = ?",
                        first.tenantId,
                        elsewhere.tenantId);
                execute(
                        session,
                        "insert into policy_fan_out (tenant_id, kind, cause_event_id, after_subject, planned_at)"
                                + " values (?, 'APP_PROTECTION', ?, ?, now())",
                        first.tenantId,
                        policy.getEventId(),
                        first.registrationId);
                session.commit();
            }

            ComplianceFailed failed = compliance.await(
                    ComplianceFailed.class, e -> e.getSubjectId().equals(second.registrationId), EVENT_TIMEOUT);
            assertThat(failed.getCauseEventId()).isEqualTo(policy.getEventId());
            await().atMost(EVENT_TIMEOUT).until(() -> plans(first.tenantId) == 0);
            // the first account was before the plan's cursor: not judged again by it
            compliance.assertNone(ComplianceFailed.class, e -> e.getSubjectId().equals(first.registrationId), QUIET);
        }
    }

    private static Connection session() throws SQLException {
        var config = ConfigProvider.getConfig();
        Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(""));
        connection.setAutoCommit(false);
        return connection;
    }

    private static void lock(Connection session, String function, String tenantId) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(
                "select cast(" + function + "(" + TenantPolicyLocks.NAMESPACE + ", ?) as text)")) {
            statement.setInt(1, TenantPolicyLocks.key(tenantId));
            statement.execute();
        }
    }

    /**
     * Waits until a session of the service waits for the tenant's policy lock (PostgreSQL shows it not granted): the
     * consumer has got as far as the lock and stands there.
     */
    private static void awaitWaiterOn(String tenantId) {
        await("a session waiting for the policy lock of " + tenantId)
                .atMost(EVENT_TIMEOUT)
                .until(() -> count("select count(*) from pg_locks where locktype = 'advisory' and not granted"
                                + " and objsubid = 2 and classid::bigint = "
                                + Integer.toUnsignedLong(TenantPolicyLocks.NAMESPACE)
                                + " and objid::bigint = "
                                + Integer.toUnsignedLong(TenantPolicyLocks.key(tenantId)))
                        > 0);
    }

    private static void execute(Connection session, String sql, String... parameters) throws SQLException {
        try (PreparedStatement statement = session.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        }
    }

    private static long reportedInstances(String tenantId) throws SQLException {
        return count(
                "select count(*) from app_instance where tenant_id = ? and last_reported_at is not null", tenantId);
    }

    private static long storedPolicies(String tenantId) throws SQLException {
        return count("select count(*) from policy where tenant_id = ?", tenantId);
    }

    private static long plans(String tenantId) throws SQLException {
        return count("select count(*) from policy_fan_out where tenant_id = ?", tenantId);
    }

    private static void bind(PreparedStatement statement, String... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setString(i + 1, parameters[i]);
        }
    }

    private static long count(String sql, String... parameters) throws SQLException {
        try (Connection connection = session();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
