package dev.bulwark.testsupport;

import dev.bulwark.infra.DevKeys;
import dev.bulwark.infra.PostgresServer;
import dev.bulwark.infra.TopicBootstrap;
import dev.bulwark.kafka.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives a Quarkus service under test real infrastructure: one Kafka broker (KRaft, child JVM) and one PostgreSQL
 * server shared by the whole test JVM, and a fresh database for each test resource start, so no state leaks between
 * test classes. PostgreSQL comes from {@code BULWARK_TEST_JDBC_URL} (with {@code BULWARK_TEST_DB_USER} and
 * {@code BULWARK_TEST_DB_PASSWORD}) when set, else from Testcontainers when a Docker engine answers, else from embedded
 * PostgreSQL binaries. Init argument {@code database}: the base name of the service's database.
 */
public class BulwarkInfra implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker kafka;
    private static PostgresServer postgres;
    private static DevKeys keys;
    private static Path root;

    private String database = "bulwark";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        ensureStarted();
        String name = database + "_"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        postgres.createDatabaseIfMissing(name);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(name));
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put(
                "mp.jwt.verify.publickey.location", keys.publicKeyPath().toUri().toString());
        config.put("mp.jwt.verify.issuer", DevKeys.DEFAULT_ISSUER);
        return config;
    }

    @Override
    public void stop() {
        // The broker and the server live for the whole test JVM; a shutdown hook stops them.
    }

    /** The shared broker's bootstrap servers, starting it (and the rest) if this is the first use. */
    public static String kafkaBootstrap() {
        ensureStarted();
        return kafka.bootstrapServers();
    }

    /** The shared PostgreSQL server, starting it (and the rest) if this is the first use. */
    public static PostgresServer postgres() {
        ensureStarted();
        return postgres;
    }

    /** The key pair test tokens are signed with. */
    public static DevKeys keys() {
        ensureStarted();
        return keys;
    }

    private static synchronized void ensureStarted() {
        if (kafka != null) {
            return;
        }
        try {
            root = Files.createTempDirectory("bulwark-test-infra");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys = DevKeys.loadOrCreate(root.resolve("keys"));
        postgres = startPostgres(root.resolve("postgres"));
        kafka = KafkaBroker.start(root.resolve("kafka"));
        TopicBootstrap.createAll(kafka.bootstrapServers());
        Runtime.getRuntime().addShutdownHook(new Thread(BulwarkInfra::stopAll, "bulwark-test-infra-stop"));
    }

    private static PostgresServer startPostgres(Path dataDir) {
        String url = System.getenv("BULWARK_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            String user = System.getenv().getOrDefault("BULWARK_TEST_DB_USER", "postgres");
            String password = System.getenv().getOrDefault("BULWARK_TEST_DB_PASSWORD", "");
            return PostgresServer.external(url, user, password);
        }
        if (ContainerPostgres.dockerAnswers()) {
            return ContainerPostgres.start();
        }
        return PostgresServer.embedded(dataDir, 0);
    }

    private static void stopAll() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
