package dev.bulwark.compliance.flow;

import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;
import java.time.Duration;

/** Waits, in tests, until compliance-service's consumers have applied directory and policy events to its projections. */
final class Projections {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Projections() {}

    static void awaitPolicy(EntityManager entityManager, String tenantId, String policyId, long version) {
        await("policy " + policyId + " v" + version)
                .atMost(TIMEOUT)
                .until(() -> count(
                                entityManager,
                                "select count(*) from policy where tenant_id = ?1 and policy_id = ?2 and version >= "
                                        + version,
                                tenantId,
                                policyId)
                        == 1);
    }

    static void awaitLicence(EntityManager entityManager, String tenantId, String userId, boolean licensed) {
        await("licence of " + userId)
                .atMost(TIMEOUT)
                .until(() -> count(
                                entityManager,
                                "select count(*) from directory_user where tenant_id = ?1 and user_id = ?2 and licensed = "
                                        + licensed,
                                tenantId,
                                userId)
                        == 1);
    }

    static void awaitMember(EntityManager entityManager, String tenantId, String groupId, String memberId) {
        await("member " + memberId + " of " + groupId)
                .atMost(TIMEOUT)
                .until(() -> count(
                                entityManager,
                                "select count(*) from group_member where tenant_id = ?1 and group_id = ?2"
                                        + " and member_id = '" + memberId + "' and present",
                                tenantId,
                                groupId)
                        == 1);
    }

    private static long count(EntityManager entityManager, String sql, String first, String second) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                        .createNativeQuery(sql)
                        .setParameter(1, first)
                        .setParameter(2, second)
                        .getSingleResult())
                .longValue());
    }
}
