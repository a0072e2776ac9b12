package dev.bulwark.compliance.flow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstanceRegistered;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.DeadLetters;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * bulwark.devices.v1 and bulwark.directory.v1 are applied a batch per transaction: a record that fails among good ones
 * (sent together, on one partition, so they arrive in one poll) is dead-lettered alone, with its reason, and the records
 * around it — before and after it, in order — are applied; a directory import judges each account once, on the
 * directory as the batch leaves it, naming the last change that concerned it.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class DeviceBatchFlowTest {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    EntityManager entityManager;

    @Test
    void aRecordThatFailsInABatchIsDeadLetteredAloneAndTheOthersAreApplied() {
        AppInstanceEvents app = AppInstanceEvents.newMailApp();
        // built in order: a check-in older than one already applied is stale and not evaluated
        AppInstanceRegistered registered = app.registered("5.1");
        DeviceStateReported compliant = app.report("5.1", true, false);
        // an unmanaged check-in that names no app, of a registration never seen: it cannot be applied
        Instant now = Instant.now();
        DeviceStateReported poison = DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now)
                .setTenantId(app.tenantId)
                .setSubjectId("reg-unknown-" + app.installationId)
                .setManagementType(ManagementType.UNMANAGED)
                .setUserId(app.userId)
                .setPlatform(Platform.IOS)
                .setOsVersion("17.5")
                .setJailbroken(false)
                .setAppId(null)
                .setAppVersion("5.1")
                .setPinSet(true)
                .setLastContactAt(now)
                .setEncrypted(null)
                .setPasscodeSet(null)
                .setInstalledApps(List.of())
                .setConfigurationProfiles(List.of())
                .setSelectiveWipeResults(List.of())
                .build();
        DeviceStateReported nonCompliant = DeviceStateReported.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(now.plusMillis(1))
                .setTenantId(app.tenantId)
                .setSubjectId(app.registrationId)
                .setManagementType(ManagementType.UNMANAGED)
                .setUserId(app.userId)
                .setPlatform(Platform.IOS)
                .setOsVersion("17.5")
                .setJailbroken(false)
                .setAppId(AppInstanceEvents.MAIL)
                .setAppVersion("4.9")
                .setPinSet(true)
                .setLastContactAt(now.plusMillis(1))
                .setEncrypted(null)
                .setPasscodeSet(null)
                .setInstalledApps(List.of())
                .setConfigurationProfiles(List.of())
                .setSelectiveWipeResults(List.of())
                .build();
        try (TopicProbe signOuts = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.SIGNOUT);
                KafkaProducer<String, byte[]> producer = producer()) {
            for (SpecificRecord event : List.<SpecificRecord>of(registered, compliant, poison, nonCompliant)) {
                send(producer, Topics.DEVICES, app.registrationId, event);
            }
            producer.flush();

            DeadLetters.DeadLetter letter = DeadLetters.await("compliance-service", app.registrationId, EVENT_TIMEOUT);
            assertThat(letter.value()).isEqualTo(EventCodec.encode(poison));
            assertThat(letter.headers().get("dead-letter-reason")).contains("names no appId");
            assertThat(letter.headers()).containsEntry("dead-letter-topic", Topics.DEVICES);

            // the record after the poison was applied: its failure signed the account out
            SignOutRequired signOut = signOuts.await(
                    SignOutRequired.class, e -> e.getSubjectId().equals(app.registrationId), EVENT_TIMEOUT);
            assertThat(signOut.getCauseEventId()).isEqualTo(nonCompliant.getEventId());
        }
        await().atMost(EVENT_TIMEOUT).untilAsserted(() -> given().auth()
                .oauth2(TestTokens.admin(app.tenantId))
                .get("/api/v1/subjects/{id}/timeline", app.registrationId)
                .then()
                .statusCode(200)
                // the compliant check-in before the poison was applied too
                .body("entries[0].kind", equalTo("ASSESSED_COMPLIANT")));
    }

    @Test
    void aDirectoryImportIsAppliedInBatchesAndEachAccountIsJudgedOnceOnTheDirectoryAsItEnds() {
        AppInstanceEvents first = AppInstanceEvents.newMailApp();
        List<AppInstanceEvents> accounts =
                List.of(first, first.otherAccount("b-" + first.userId), first.otherAccount("c-" + first.userId));
        PolicyEvents tenant = new PolicyEvents(first.tenantId);
        // a policy for group "sales" only: the accounts' check-ins break it (app 6.1), once licensed and in the group
        PolicyChanged policy = tenant.appProtection(
                PolicyEvents.newId("app-policy"),
                1,
                List.of(PolicyEvents.userGroup("sales", false)),
                "{\"minimumAppVersion\": {\"block\": \"7.0\"}, \"remediationEnabled\": false}");
        Projections.awaitPolicy(entityManager, first.tenantId, policy.getPolicyId(), 1);
        for (AppInstanceEvents account : accounts) {
            account.publish(account.registered("6.1"));
            account.publish(account.report("6.1", true, false));
        }
        for (AppInstanceEvents account : accounts) {
            await().atMost(EVENT_TIMEOUT)
                    .untilAsserted(() -> PolicyComplianceFlowTest.subject(account.tenantId, account.registrationId)
                            .statusCode(200)
                            .body("state", equalTo("COMPLIANT")));
        }

        try (TopicProbe compliance = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.COMPLIANCE);
                KafkaProducer<String, byte[]> producer = producer()) {
            // the import: per user a licence, then the group; and a record that is no event among them
            Map<String, String> lastChange = new HashMap<>();
            for (AppInstanceEvents account : accounts) {
                UserLicenseChanged licence = tenant.licenceChange(account.userId, true);
                GroupMembershipChanged joined =
                        tenant.membershipChange("sales", GroupKind.USER, account.userId, MembershipChange.ADDED);
                send(producer, Topics.DIRECTORY, account.userId, licence);
                send(producer, Topics.DIRECTORY, account.userId, joined);
                lastChange.put(account.registrationId, joined.getEventId());
            }
            producer.send(new ProducerRecord<>(
                    Topics.DIRECTORY, "garbage-" + first.tenantId, "not an event".getBytes(StandardCharsets.UTF_8)));
            producer.flush();

            DeadLetters.await("compliance-service", "garbage-" + first.tenantId, EVENT_TIMEOUT);
            for (AppInstanceEvents account : accounts) {
                ComplianceFailed failed = compliance.await(
                        ComplianceFailed.class, e -> e.getSubjectId().equals(account.registrationId), EVENT_TIMEOUT);
                assertThat(failed.getCauseEventId()).isEqualTo(lastChange.get(account.registrationId));
            }
            // once each
            compliance.assertNone(
                    ComplianceFailed.class,
                    e -> accounts.stream().anyMatch(a -> a.registrationId.equals(e.getSubjectId()))
                            && !lastChange.get(e.getSubjectId()).equals(e.getCauseEventId()),
                    Duration.ofSeconds(2));
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, SpecificRecord event) {
        producer.send(new ProducerRecord<>(
                topic,
                null,
                key,
                EventCodec.encode(event),
                CloudEventHeaders.toKafka(CloudEventHeaders.of(event, "test", key))));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BulwarkInfra.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                50,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName()));
    }
}
