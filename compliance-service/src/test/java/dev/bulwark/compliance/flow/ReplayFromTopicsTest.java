package dev.bulwark.compliance.flow;

import static dev.bulwark.compliance.flow.PolicyComplianceFlowTest.subject;
import static dev.bulwark.compliance.flow.PolicyEvents.userGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.bulwark.compliance.directory.DirectoryEventsConsumer;
import dev.bulwark.compliance.policy.PolicyEventsConsumer;
import dev.bulwark.compliance.projection.DeviceEventsConsumer;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The projections and verdicts are built from events only: forgetting everything about a tenant (its projections,
 * subjects, timeline, deadlines and inbox entries, as a fresh database would) and consuming the three input topics from
 * their start again, in the order they were written, rebuilds the same rows.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "compliance_service"))
class ReplayFromTopicsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PIN = "{\"pinRequired\": true, \"remediationEnabled\": false}";
    private static final String PIN_AND_APP_6 =
            "{\"pinRequired\": true, \"minimumAppVersion\": {\"block\": \"6.0\"}, \"remediationEnabled\": false}";

    private static final Map<String, String> SNAPSHOTS = new LinkedHashMap<>();

    static {
        SNAPSHOTS.put("directory_user", "user_id, licensed, sku");
        SNAPSHOTS.put("group_member", "group_id, group_kind, member_id, present");
        SNAPSHOTS.put("directory_account", "user_id, enabled");
        SNAPSHOTS.put("policy", "policy_id, kind, version, platform, targets::text, settings::text, deleted");
        SNAPSHOTS.put(
                "managed_device",
                "device_id, user_id, platform, os_version, retired, encrypted, passcode_set, jailbroken,"
                        + " installed_apps::text, configuration_profiles::text");
        SNAPSHOTS.put(
                "app_instance",
                "registration_id, user_id, app_id, platform, os_version, app_version, pin_set, jailbroken,"
                        + " offline_access_check_at::text, offline_wipe_at::text");
        SNAPSHOTS.put("compliance_subject", "subject_id, management_type, user_id, app_id, state, violations::text");
        SNAPSHOTS.put("selective_wipe", "subject_id, user_id, app_id, reason, status");
    }

    @Inject
    EntityManager entityManager;

    @Inject
    DeviceEventsConsumer deviceEvents;

    @Inject
    DirectoryEventsConsumer directoryEvents;

    @Inject
    PolicyEventsConsumer policyEvents;

    @Test
    void replayingTheTopicsFromTheStartIntoAnEmptyStateRebuildsTheSameProjectionsAndVerdicts() {
        AppInstanceEvents alice = AppInstanceEvents.newMailApp();
        AppInstanceEvents bob = alice.otherAccount("bob-" + alice.userId);
        AppInstanceEvents carol = alice.otherAccount("carol-" + alice.userId);
        PolicyEvents tenant = new PolicyEvents(alice.tenantId);
        DeviceEvents aliceDevice = DeviceEvents.of(alice.tenantId, alice.userId);
        String policyId = PolicyEvents.newId("replayed");

        tenant.licence(alice.userId, true);
        tenant.licence(bob.userId, true);
        tenant.account(carol.userId, false); // same partition as her licence, which is awaited below
        tenant.licence(carol.userId, false);
        tenant.member("sales", GroupKind.USER, alice.userId, MembershipChange.ADDED);
        tenant.member("sales", GroupKind.USER, bob.userId, MembershipChange.ADDED);
        tenant.member("contractors", GroupKind.USER, bob.userId, MembershipChange.ADDED);
        tenant.member("sales", GroupKind.USER, carol.userId, MembershipChange.ADDED);
        Projections.awaitMember(entityManager, alice.tenantId, "sales", carol.userId);
        Projections.awaitMember(entityManager, alice.tenantId, "contractors", bob.userId);
        Projections.awaitLicence(entityManager, alice.tenantId, carol.userId, false);
        tenant.appProtection(policyId, 1, List.of(userGroup("sales", false), userGroup("contractors", true)), PIN);
        Projections.awaitPolicy(entityManager, alice.tenantId, policyId, 1);
        for (AppInstanceEvents account : List.of(alice, bob, carol)) {
            account.publish(account.registered("5.5"));
            account.publish(account.report("5.5", false, false));
        }
        aliceDevice.publish(aliceDevice.enrolled(Platform.ANDROID, "13"));
        aliceDevice.publish(aliceDevice.report(Platform.ANDROID, "13", true, false));
        await().atMost(TIMEOUT).untilAsserted(() -> {
            subject(alice.tenantId, alice.registrationId).statusCode(200).body("state", equalTo("SIGNED_OUT"));
            subject(bob.tenantId, bob.registrationId).statusCode(200).body("state", equalTo("COMPLIANT"));
            subject(carol.tenantId, carol.registrationId).statusCode(200).body("state", equalTo("COMPLIANT"));
            subject(alice.tenantId, aliceDevice.deviceId).statusCode(200).body("state", equalTo("SIGNED_OUT"));
        });
        tenant.member("contractors", GroupKind.USER, bob.userId, MembershipChange.REMOVED);
        tenant.appProtection(
                policyId, 2, List.of(userGroup("sales", false), userGroup("contractors", true)), PIN_AND_APP_6);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            subject(bob.tenantId, bob.registrationId).statusCode(200).body("state", equalTo("SIGNED_OUT"));
            subject(alice.tenantId, alice.registrationId)
                    .statusCode(200)
                    .body("violations.rule", hasItem("minimumAppVersion"));
        });

        Map<String, List<String>> before = snapshot(alice.tenantId);
        assertThat(before.get("compliance_subject")).hasSize(4);
        assertThat(before.get("policy")).hasSize(1);
        assertThat(before.get("group_member")).hasSize(4);

        List<ConsumerRecord<String, byte[]>> records = readFromTheStart();
        forget(alice.tenantId, eventIdsOf(records, alice.tenantId));
        assertThat(snapshot(alice.tenantId).values())
                .allSatisfy(rows -> assertThat(rows).isEmpty());
        replay(records);

        // a policy change's fan-out may have been picked up by the service's fan-out job (every 5 s) while the replay
        // ran it; the replay's own run then returns at once (skip locked) and the job finishes the plan moments later
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(snapshot(alice.tenantId)).isEqualTo(before));
    }

    private Map<String, List<String>> snapshot(String tenantId) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        SNAPSHOTS.forEach((table, columns) -> tables.put(table, rows(table, columns, tenantId)));
        return tables;
    }

    @SuppressWarnings("unchecked")
    private List<String> rows(String table, String columns, String tenantId) {
        return QuarkusTransaction.requiringNew().call(() -> (List<String>) entityManager
                .createNativeQuery(
                        "select concat_ws('|', " + columns + ") from " + table + " where tenant_id = ?1 order by 1")
                .setParameter(1, tenantId)
                .getResultList());
    }

    /** What a fresh database knows of the tenant: nothing, and none of its events processed. */
    private void forget(String tenantId, List<String> eventIds) {
        assertThat(eventIds).hasSizeGreaterThan(10);
        QuarkusTransaction.requiringNew().run(() -> {
            entityManager
                    .createNativeQuery("delete from processed_event where event_id = any(?1)")
                    .setParameter(1, eventIds.toArray(String[]::new))
                    .executeUpdate();
            entityManager
                    .createNativeQuery("delete from remediation_step where deadline_id in"
                            + " (select id from remediation_deadline where tenant_id = ?1)")
                    .setParameter(1, tenantId)
                    .executeUpdate();
            for (String table : List.of(
                    "selective_wipe",
                    "policy_fan_out",
                    "remediation_deadline",
                    "subject_timeline",
                    "compliance_subject",
                    "app_instance",
                    "managed_device",
                    "policy",
                    "group_member",
                    "directory_account",
                    "directory_user")) {
                entityManager
                        .createNativeQuery("delete from " + table + " where tenant_id = ?1")
                        .setParameter(1, tenantId)
                        .executeUpdate();
            }
        });
    }

    private static List<String> eventIdsOf(List<ConsumerRecord<String, byte[]>> records, String tenantId) {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                SpecificRecord event = EventCodec.decode(record.value());
                if (tenantId.equals(String.valueOf(((GenericRecord) event).get("tenantId")))) {
                    ids.add(Envelope.eventId(event));
                }
            } catch (RuntimeException undecodable) {
                // not an event: nothing to forget
            }
        }
        return ids;
    }

    /** Every record of the three input topics, in the order they were written. */
    private List<ConsumerRecord<String, byte[]>> readFromTheStart() {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                BulwarkInfra.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "replay-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.DEVICES, Topics.DIRECTORY, Topics.POLICIES)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        records.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        return records;
    }

    private static ConsumerRecords<String, byte[]> batchOf(ConsumerRecord<String, byte[]> record) {
        return new ConsumerRecords<>(Map.of(new TopicPartition(record.topic(), record.partition()), List.of(record)));
    }

    /**
     * Feeds the records to the service's consumers. The inbox skips what was already processed (other tenants'
     * events); the forgotten tenant's are processed again.
     */
    private void replay(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                switch (record.topic()) {
                    case Topics.DEVICES -> deviceEvents.on(batchOf(record));
                    case Topics.DIRECTORY -> directoryEvents.on(batchOf(record));
                    default -> policyEvents.on(record);
                }
            } catch (RuntimeException poison) {
                // a record the live consumer dead-lettered; a fresh database would dead-letter it too
            }
        }
    }
}
