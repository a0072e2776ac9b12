package dev.bulwark.kit.outbox;

import dev.bulwark.kafka.KafkaBroker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * A real Kafka broker, a fresh real PostgreSQL database with service-kit's migrations, and the relay's producer, for
 * the outbox tests and benchmark (the server from {@code BULWARK_TEST_JDBC_URL} if set, else embedded binaries).
 */
final class OutboxInfra implements AutoCloseable {

    final KafkaBroker kafka;
    final Producer<String, byte[]> producer;
    private final EmbeddedPostgres embedded;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;

    private OutboxInfra(
            KafkaBroker kafka, EmbeddedPostgres embedded, String jdbcUrl, String dbUser, String dbPassword) {
        this.kafka = kafka;
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.producer = new KafkaProducer<>(OutboxRelay.producerConfig(kafka.bootstrapServers()));
    }

    static OutboxInfra start() throws Exception {
        KafkaBroker kafka = KafkaBroker.start(Files.createTempDirectory("outbox-kafka"));
        String external = System.getenv("BULWARK_TEST_JDBC_URL");
        OutboxInfra infra;
        if (external != null && !external.isBlank()) {
            String user = System.getenv().getOrDefault("BULWARK_TEST_DB_USER", "postgres");
            String password = System.getenv().getOrDefault("BULWARK_TEST_DB_PASSWORD", "");
            String database = "outbox_test_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            try (Connection admin = DriverManager.getConnection(external, user, password);
                    Statement statement = admin.createStatement()) {
                statement.execute("create database " + database);
            }
            infra = new OutboxInfra(
                    kafka, null, external.replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1"), user, password);
        } else {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            infra = new OutboxInfra(kafka, embedded, embedded.getJdbcUrl("postgres", "postgres"), "postgres", "");
        }
        try (Connection connection = infra.connect();
                Statement statement = connection.createStatement()) {
            for (String migration :
                    List.of("/db/kit/V0_1__outbox_inbox.sql", "/db/kit/V0_2__outbox_parked_and_tenant.sql")) {
                statement.execute(new String(
                        OutboxInfra.class.getResourceAsStream(migration).readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return infra;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(5));
        kafka.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
