package dev.bulwark.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.events.UserLicenseChanged;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's guarantees on a real PostgreSQL and a real Kafka broker: order per key, nothing lost when the process
 * dies between Kafka's acknowledgement and the delete, nothing published for a transaction that rolled back, one
 * relay at a time per database.
 */
class OutboxPublisherTest {

    private static OutboxInfra infra;
    private static Producer<String, byte[]> producer;
    private final ObjectMapper json = new ObjectMapper();
    private String topic;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        infra = OutboxInfra.start();
        producer = infra.producer;
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        if (infra != null) {
            infra.close();
        }
    }

    @BeforeEach
    void freshTopicAndEmptyOutbox() throws SQLException {
        topic = "outbox-test-" + UUID.randomUUID();
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("delete from outbox_event");
            statement.execute("delete from outbox_parked");
        }
    }

    @Test
    void eventsArePublishedInInsertionOrderPerKeyWithTheirHeadersAndThenDeleted() throws Exception {
        List<UserLicenseChanged> written = new ArrayList<>();
        try (Connection connection = connect()) {
            for (int i = 0; i < 30; i++) {
                written.add(append(connection, "user-" + (i % 3), i % 2 == 0));
            }
        }

        int sent =
                new OutboxPublisher(producer, json, 500).publishBatch(connect()).published();

        assertThat(sent).isEqualTo(30);
        assertThat(outboxSize()).isZero();
        List<ConsumerRecord<String, byte[]>> records = consume(30);
        for (String user : List.of("user-0", "user-1", "user-2")) {
            List<String> expected = written.stream()
                    .filter(e -> e.getUserId().equals(user))
                    .map(Envelope::eventId)
                    .toList();
            List<String> actual = records.stream()
                    .filter(r -> r.key().equals(user))
                    .map(r -> Envelope.eventId(EventCodec.decode(r.value())))
                    .toList();
            assertThat(actual).containsExactlyElementsOf(expected);
        }
        ConsumerRecord<String, byte[]> first = records.get(0);
        assertThat(new String(first.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo("UserLicenseChanged");
        assertThat(new String(first.headers().lastHeader("ce_source").value(), StandardCharsets.UTF_8))
                .isEqualTo("outbox-test");
        assertThat(new String(first.headers().lastHeader("ce_subject").value(), StandardCharsets.UTF_8))
                .isEqualTo(first.key());
    }

    @Test
    void aCrashAfterKafkaAcknowledgedAndBeforeTheDeleteLosesNothingAndRepublishes() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = connect()) {
            for (int i = 0; i < 5; i++) {
                ids.add(Envelope.eventId(append(connection, "user-crash", true)));
            }
        }
        OutboxPublisher crashing = new OutboxPublisher(producer, json, 500) {
            @Override
            void beforeDelete() {
                throw new IllegalStateException("simulated crash between send and delete");
            }
        };

        assertThatThrownBy(() -> crashing.publishBatch(connect())).hasMessageContaining("simulated crash");
        assertThat(outboxSize()).as("rows survive the crash").isEqualTo(5);

        assertThat(new OutboxPublisher(producer, json, 500)
                        .publishBatch(connect())
                        .published())
                .isEqualTo(5);
        assertThat(outboxSize()).isZero();
        List<String> seen = consume(10).stream()
                .map(r -> Envelope.eventId(EventCodec.decode(r.value())))
                .toList();
        // At least once: each event twice, in order each time; consumers drop the repeat by eventId.
        assertThat(seen).containsExactlyElementsOf(concat(ids, ids));
    }

    @Test
    void rowsOfATransactionThatRolledBackAreNeverPublished() throws Exception {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            append(connection, "user-rollback", true);
            connection.rollback();
        }
        assertThat(new OutboxPublisher(producer, json, 500)
                        .publishBatch(connect())
                        .published())
                .isZero();
    }

    @Test
    void onlyOneRelayPublishesAtATimeSoReplicasNeverReorderAKey() throws Exception {
        try (Connection connection = connect()) {
            append(connection, "user-lock", true);
        }
        try (Connection holder = connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, OutboxPublisher.RELAY_LOCK);
                lock.execute();
            }
            assertThat(new OutboxPublisher(producer, json, 500)
                            .publishBatch(connect())
                            .published())
                    .as("the other replica holds the relay lock")
                    .isZero();
            holder.commit();
        }
        assertThat(new OutboxPublisher(producer, json, 500)
                        .publishBatch(connect())
                        .published())
                .isEqualTo(1);
    }

    @Test
    void aRowKafkaRefusesForGoodIsParkedWithItsReasonWhileEveryOtherKeysRowsArePublishedOnceInOrder() throws Exception {
        // Rows of two tenants, a batch smaller than the outbox, and among them a record over Kafka's 1 MiB limit (as
        // an oversize AssignmentChanged was) and a row whose headers cannot be read. Today's relay failed the whole
        // batch every round, re-sent the good rows of it each time and never reached the rows behind it.
        List<Row> rows = new ArrayList<>();
        try (Connection connection = connect()) {
            for (int i = 0; i < 60; i++) {
                String key = (i % 2 == 0 ? "tenant-a/user-" : "tenant-b/user-") + (i % 6);
                if (i == 7) {
                    rows.add(insert(connection, key, new byte[2 * 1024 * 1024], null));
                } else if (i == 20) {
                    rows.add(insert(connection, key, null, "{not json"));
                } else {
                    rows.add(append(connection, key));
                }
            }
        }
        Row oversize = rows.get(7);
        Row unreadable = rows.get(20);

        OutboxPublisher publisher = new OutboxPublisher(producer, json, 16);
        List<OutboxPublisher.Parked> parked = drain(publisher);

        assertThat(parked)
                .extracting(OutboxPublisher.Parked::eventId)
                .containsExactly(oversize.eventId(), unreadable.eventId());
        assertThat(parked.get(0).reason()).startsWith("RecordTooLargeException");
        assertThat(parked.get(1).reason()).contains("unreadable CloudEvents headers");
        assertThat(parkedRows()).containsOnlyKeys(oversize.eventId(), unreadable.eventId());
        assertThat(parkedRows().get(oversize.eventId())).startsWith("RecordTooLargeException");

        // every other key complete, once, in order; the two keys with a parked row up to it, their later rows held
        List<Row> held = rows.stream()
                .filter(r -> (r.key().equals(oversize.key()) && r.id() > oversize.id())
                        || (r.key().equals(unreadable.key()) && r.id() > unreadable.id()))
                .toList();
        assertThat(held).isNotEmpty();
        List<ConsumerRecord<String, byte[]>> records = consume(rows.size() - 2 - held.size());
        assertPublishedOnceInKeyOrder(records, rows, List.of(oversize, unreadable), held);
        assertThat(outboxEventIds())
                .containsExactlyElementsOf(held.stream().map(Row::eventId).toList());

        // the operator discards the oversize row and re-queues the other with its headers mended: the held rows follow
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("delete from outbox_parked where event_id = '" + oversize.eventId() + "'");
            statement.execute("with requeued as (delete from outbox_parked where event_id = '"
                    + unreadable.eventId() + "' returning *)"
                    + " insert into outbox_event (id, event_id, topic, event_key, event_type, payload, headers,"
                    + " created_at) select id, event_id, topic, event_key, event_type, payload, '{}', created_at"
                    + " from requeued");
        }
        assertThat(drain(publisher)).isEmpty();
        assertThat(outboxSize()).isZero();
        assertPublishedOnceInKeyOrder(consume(rows.size() - 1), rows, List.of(oversize), List.of());
    }

    @Test
    void aPassingFailureLeavesOnlyItsKeyAndWhatKafkaAcknowledgedIsNeverSentAgain() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = connect()) {
            for (int i = 0; i < 12; i++) {
                rows.add(append(connection, "tenant-c/user-" + (i % 4)));
            }
        }
        Row unlucky = rows.get(0); // the first of its key's three rows
        Set<String> failOnce = new HashSet<>(Set.of(unlucky.eventId()));
        OutboxPublisher publisher = new OutboxPublisher(failingOnce(failOnce), json, 500);

        OutboxPublisher.Round first = publisher.publishBatch(connect());

        assertThat(first.published()).as("the other keys' rows").isEqualTo(9);
        assertThat(first.retryLater()).get().isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        assertThat(outboxEventIds())
                .as("the failed row and, behind it, its key's later rows")
                .containsExactly(
                        unlucky.eventId(), rows.get(4).eventId(), rows.get(8).eventId());

        OutboxPublisher.Round second = publisher.publishBatch(connect());

        assertThat(second.published()).isEqualTo(3);
        assertThat(second.retryLater()).isEmpty();
        assertPublishedOnceInKeyOrder(consume(rows.size()), rows, List.of(), List.of());
    }

    @Test
    void aTenantsBacklogDoesNotDelayAnotherTenantsEventsWrittenAfterIt() throws Exception {
        // tenant A fans a change out to 3,000 events; tenant B's five sign-outs are written after all of them
        try (Connection connection = connect();
                PreparedStatement backlog = connection.prepareStatement(
                        "insert into outbox_event (event_id, topic, event_key, event_type, payload, headers, tenant_id)"
                                + " select 'a-' || n, ?, 'tenant-a/user-' || (n % 100), 'UserLicenseChanged',"
                                + " '\\x00'::bytea, '{}', 'tenant-a' from generate_series(1, 3000) n")) {
            backlog.setString(1, topic);
            backlog.executeUpdate();
        }
        List<Row> tenantB = new ArrayList<>();
        try (Connection connection = connect()) {
            for (int i = 0; i < 5; i++) {
                tenantB.add(append(connection, "tenant-b/user-" + i));
            }
        }

        OutboxPublisher.Round first = new OutboxPublisher(producer, json, 500).publishBatch(connect());

        assertThat(first.published()).isEqualTo(500);
        assertThat(outboxEventIds())
                .as("tenant B's events left with the first round")
                .doesNotContainAnyElementsOf(tenantB.stream().map(Row::eventId).toList())
                .hasSize(3000 - 495);
    }

    /** A row as written: its id (insertion order), eventId and key. */
    private record Row(long id, String eventId, String key) {}

    /** Runs rounds until one has nothing left to do; returns the rows parked on the way. */
    private static List<OutboxPublisher.Parked> drain(OutboxPublisher publisher) throws Exception {
        List<OutboxPublisher.Parked> parked = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            OutboxPublisher.Round result = publisher.publishBatch(connect());
            assertThat(result.retryLater())
                    .as("no passing failure in round %d", round)
                    .isEmpty();
            parked.addAll(result.parked());
            if (result.published() == 0 && result.parked().isEmpty()) {
                return parked;
            }
        }
        throw new AssertionError("the relay did not come to rest in 50 rounds");
    }

    private static void assertPublishedOnceInKeyOrder(
            List<ConsumerRecord<String, byte[]>> records, List<Row> rows, List<Row> notPublished, List<Row> held) {
        List<String> missing = new ArrayList<>();
        notPublished.forEach(r -> missing.add(r.eventId()));
        held.forEach(r -> missing.add(r.eventId()));
        for (String key : rows.stream().map(Row::key).distinct().toList()) {
            List<String> expected = rows.stream()
                    .filter(r -> r.key().equals(key) && !missing.contains(r.eventId()))
                    .map(Row::eventId)
                    .toList();
            List<String> actual = records.stream()
                    .filter(r -> r.key().equals(key))
                    .map(r -> Envelope.eventId(EventCodec.decode(r.value())))
                    .toList();
            assertThat(actual).as("events of key %s", key).containsExactlyElementsOf(expected);
        }
    }

    /** The real producer, except that the first send of each named event fails as when the broker is away. */
    @SuppressWarnings("unchecked")
    private static Producer<String, byte[]> failingOnce(Set<String> eventIds) {
        return (Producer<String, byte[]>) java.lang.reflect.Proxy.newProxyInstance(
                Producer.class.getClassLoader(), new Class<?>[] {Producer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("send") && args[0] instanceof ProducerRecord<?, ?> record) {
                        String id =
                                new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
                        if (eventIds.remove(id)) {
                            return java.util.concurrent.CompletableFuture.failedFuture(
                                    new org.apache.kafka.common.errors.TimeoutException("broker away"));
                        }
                    }
                    try {
                        return method.invoke(producer, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Row append(Connection connection, String key) throws Exception {
        return insert(connection, key, null, null);
    }

    /** Inserts a row for {@code key}; {@code payload} and {@code headers} replace the real ones when given. */
    private Row insert(Connection connection, String key, byte[] payload, String headers) throws Exception {
        UserLicenseChanged event = UserLicenseChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(key.substring(0, key.indexOf('/')))
                .setUserId(key)
                .setLicensed(true)
                .setSku("BULWARK_E3")
                .build();
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into outbox_event (event_id, topic, event_key, event_type, payload, headers, tenant_id)"
                        + " values (?, ?, ?, ?, ?, ?, ?) returning id")) {
            insert.setString(1, Envelope.eventId(event));
            insert.setString(2, topic);
            insert.setString(3, key);
            insert.setString(4, "UserLicenseChanged");
            insert.setBytes(5, payload != null ? payload : EventCodec.encode(event));
            insert.setString(
                    6,
                    headers != null
                            ? headers
                            : json.writeValueAsString(CloudEventHeaders.of(event, "outbox-test", key)));
            insert.setString(7, event.getTenantId());
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new Row(rs.getLong(1), Envelope.eventId(event), key);
            }
        }
    }

    private static List<String> outboxEventIds() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select event_id from outbox_event order by id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static Map<String, String> parkedRows() throws SQLException {
        Map<String, String> reasons = new LinkedHashMap<>();
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select event_id, reason from outbox_parked order by id")) {
            while (rs.next()) {
                reasons.put(rs.getString(1), rs.getString(2));
            }
        }
        return reasons;
    }

    private UserLicenseChanged append(Connection connection, String userId, boolean licensed) throws Exception {
        UserLicenseChanged event = UserLicenseChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId("tenant-outbox")
                .setUserId(userId)
                .setLicensed(licensed)
                .setSku(licensed ? "BULWARK_E3" : null)
                .build();
        Map<String, String> headers = new LinkedHashMap<>(CloudEventHeaders.of(event, "outbox-test", userId));
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into outbox_event (event_id, topic, event_key, event_type, payload, headers)"
                        + " values (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, Envelope.eventId(event));
            insert.setString(2, topic);
            insert.setString(3, userId);
            insert.setString(4, "UserLicenseChanged");
            insert.setBytes(5, EventCodec.encode(event));
            insert.setString(6, json.writeValueAsString(headers));
            insert.executeUpdate();
        }
        return event;
    }

    private List<ConsumerRecord<String, byte[]>> consume(int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // Read a little longer to catch anything beyond what was expected.
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        records.sort(java.util.Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static int outboxSize() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select count(*) from outbox_event")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Connection connect() throws SQLException {
        return infra.connect();
    }
}
