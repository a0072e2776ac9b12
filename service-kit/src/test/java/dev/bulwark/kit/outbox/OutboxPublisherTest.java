package dev.bulwark.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.kafka.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
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

    private static KafkaBroker kafka;
    private static EmbeddedPostgres embedded;
    private static String jdbcUrl;
    private static String dbUser;
    private static String dbPassword;
    private static Producer<String, byte[]> producer;
    private final ObjectMapper json = new ObjectMapper();
    private String topic;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        kafka = KafkaBroker.start(Files.createTempDirectory("outbox-kafka"));
        String external = System.getenv("BULWARK_TEST_JDBC_URL");
        if (external != null && !external.isBlank()) {
            dbUser = System.getenv().getOrDefault("BULWARK_TEST_DB_USER", "postgres");
            dbPassword = System.getenv().getOrDefault("BULWARK_TEST_DB_PASSWORD", "");
            String database = "outbox_test_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            try (Connection admin = DriverManager.getConnection(external, dbUser, dbPassword);
                    Statement statement = admin.createStatement()) {
                statement.execute("create database " + database);
            }
            jdbcUrl = external.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
        } else {
            embedded = EmbeddedPostgres.builder().start();
            jdbcUrl = embedded.getJdbcUrl("postgres", "postgres");
            dbUser = "postgres";
            dbPassword = "";
        }
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            String ddl = new String(
                    OutboxPublisherTest.class
                            .getResourceAsStream("/db/kit/V0_1__outbox_inbox.sql")
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            statement.execute(ddl);
        }
        producer = new KafkaProducer<>(OutboxRelay.producerConfig(kafka.bootstrapServers()));
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (kafka != null) {
            kafka.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    @BeforeEach
    void freshTopicAndEmptyOutbox() throws SQLException {
        topic = "outbox-test-" + UUID.randomUUID();
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute("delete from outbox_event");
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

        int sent = new OutboxPublisher(producer, json, 500).publishBatch(connect());

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

        assertThat(new OutboxPublisher(producer, json, 500).publishBatch(connect()))
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
        assertThat(new OutboxPublisher(producer, json, 500).publishBatch(connect()))
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
            assertThat(new OutboxPublisher(producer, json, 500).publishBatch(connect()))
                    .as("the other replica holds the relay lock")
                    .isZero();
            holder.commit();
        }
        assertThat(new OutboxPublisher(producer, json, 500).publishBatch(connect()))
                .isEqualTo(1);
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
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
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
        return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
    }
}
