package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.appPolicy;
import static dev.bulwark.policy.flow.Fixtures.includeGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.BulwarkInfra;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A burst of SignOutRequired is applied a poll at a time: in a bounded number of transactions (one per event
 * before), each event once, and the in-memory sign-in state learns every sign-out of a batch once it commits. Real
 * Kafka, real PostgreSQL; transactions counted by the inbox rows' {@code xmin}.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class SignOutBatchTest {

    private static final int USERS = 200;
    private static final String MAIL = "com.contoso.mail";
    private static final Duration BULK_TIMEOUT = Duration.ofMinutes(2);

    @Inject
    AgroalDataSource database;

    @Test
    void aBurstOfSignOutsIsAppliedInAFewTransactionsAndEverySignInAnswersSignedOut() {
        Fixtures f = new Fixtures();
        f.licence("sam", true);
        f.join("field", "sam");
        f.createAppPolicy(appPolicy(MAIL, null, "{}", "[" + includeGroup("field") + "]"));
        f.awaitSignIn("sam", MAIL, "PROTECTED");
        String token = f.user("sam");
        Fixtures.awaitNextSecondAfter(Instant.now());

        List<String> eventIds = new ArrayList<>();
        try (Burst burst = new Burst(Topics.SIGNOUT)) {
            for (int i = 0; i < USERS; i++) {
                String user = i == USERS / 2 ? "sam" : "user-" + i;
                SignOutRequired signOut = signOut(f.tenant, user);
                eventIds.add(signOut.getEventId());
                burst.send(user, signOut);
                if (i == 0) {
                    // the same event twice in the burst: one row, one inbox entry
                    burst.send(user, signOut);
                }
            }
            burst.flush();
        }

        await("every sign-out stored")
                .atMost(BULK_TIMEOUT)
                .until(() ->
                        Rows.count(database, "select count(*) from sign_out where tenant_id = ?", f.tenant) == USERS);
        f.awaitSignInWith(token, MAIL, "SIGNED_OUT");
        assertThat(Rows.count(
                        database,
                        "select count(*) from processed_event where consumer = 'policy-service.signout'"
                                + " and event_id = any(?)",
                        (Object) eventIds.toArray(String[]::new)))
                .isEqualTo(USERS);
        assertThat(Rows.transactions(database, "policy-service.signout", eventIds))
                .isBetween(1L, (long) USERS / 10);
    }

    private static SignOutRequired signOut(String tenant, String userId) {
        return SignOutRequired.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setUserId(userId)
                .setSubjectId("device-" + userId)
                .setManagementType(ManagementType.MANAGED)
                .setAppIds(List.of(MAIL))
                .setReason(SignOutReason.REMEDIATION_DISABLED)
                .setSelectiveWipe(false)
                .setUserMessage("Your device is not compliant.")
                .build();
    }
}
