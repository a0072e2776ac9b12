package dev.bulwark.kit.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs {@link OutboxPublisher} rounds on a background thread with an idempotent producer (acks=all), backing off while
 * Kafka or the database is unavailable. A round starts as soon as a transaction that wrote outbox rows has committed
 * ({@link #wake}, called by {@link Outbox}), and every {@code bulwark.outbox.poll-interval} besides, for rows no commit
 * here announced (written by another replica, or left by a crash or a failed round). One relay per database works at a time (a PostgreSQL advisory lock), so
 * several replicas never reorder a key's events. A row Kafka refuses for good is parked with an ERROR log and the
 * {@code bulwark.outbox.parked} counter; rows Kafka acknowledged are deleted even when others of the round failed.
 * {@code bulwark.outbox.oldest.age} (seconds) is how long the oldest row has waited: 0 while the relay keeps up.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final String bootstrapServers;
    private final Duration pollInterval;
    private final int batchSize;
    private final boolean enabled;
    private final Counter published;
    private final Counter failures;
    private final Counter parked;

    /** A permit means: rows were committed since the last round started. */
    private final Semaphore committed = new Semaphore(0);

    private Thread thread;
    private volatile boolean running;
    private Producer<String, byte[]> producer;
    private OutboxPublisher publisher;
    private volatile Duration backoff = Duration.ZERO;

    OutboxRelay(
            AgroalDataSource dataSource,
            ObjectMapper json,
            MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "bulwark.outbox.poll-interval", defaultValue = "PT1S") Duration pollInterval,
            @ConfigProperty(name = "bulwark.outbox.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "bulwark.outbox.relay-enabled", defaultValue = "true") boolean enabled) {
        this.dataSource = dataSource;
        this.json = json;
        this.bootstrapServers = bootstrapServers;
        this.pollInterval = pollInterval;
        this.batchSize = batchSize;
        this.enabled = enabled;
        this.published = Counter.builder("bulwark.outbox.published")
                .description("Events published from the outbox to Kafka")
                .register(registry);
        this.failures = Counter.builder("bulwark.outbox.failures")
                .description("Relay rounds that failed and will be retried")
                .register(registry);
        this.parked = Counter.builder("bulwark.outbox.parked")
                .description("Outbox events Kafka refused for good, moved to outbox_parked")
                .register(registry);
        Gauge.builder("bulwark.outbox.depth", this, relay -> relay.count("select count(*) from outbox_event"))
                .description("Events in the outbox not yet published (a count at each scrape; a few rows while the"
                        + " relay keeps up)")
                .register(registry);
        // the inbox keeps one row per consumed event; PostgreSQL's own estimate, so a scrape never counts millions
        Gauge.builder(
                        "bulwark.inbox.events",
                        this,
                        relay -> relay.count("select greatest(reltuples, 0)::bigint from pg_class"
                                + " where oid = to_regclass('processed_event')"))
                .description("Consumed events the inbox remembers (PostgreSQL's estimate, refreshed by vacuum)")
                .register(registry);
        Gauge.builder("bulwark.outbox.oldest.age", this, OutboxRelay::oldestRowAgeSeconds)
                .description("How long the oldest event still in the outbox has waited to be published (0: none)")
                .baseUnit("seconds")
                .register(registry);
    }

    /**
     * Read at each scrape: the oldest row by id, one index lookup. NaN when the database cannot say (the scrape shows
     * no value rather than a wrong one; the relay's failures counter tells why).
     */
    double oldestRowAgeSeconds() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet oldest = statement.executeQuery(
                        "select extract(epoch from clock_timestamp() - created_at) from outbox_event order by id limit 1")) {
            return oldest.next() ? Math.max(0, oldest.getDouble(1)) : 0;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    /** A single number from the database, read at a scrape; NaN when it cannot say. */
    double count(String query) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            return result.next() ? result.getDouble(1) : 0;
        } catch (SQLException e) {
            return Double.NaN;
        }
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("Outbox relay disabled by bulwark.outbox.relay-enabled=false");
            return;
        }
        producer = new KafkaProducer<>(producerConfig(bootstrapServers));
        publisher = new OutboxPublisher(producer, json, batchSize);
        running = true;
        thread = new Thread(this::relay, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Asks for a round now: a transaction that wrote outbox rows has committed. Cheap and never blocking; wakes that
     * come while a round runs make one more round after it.
     */
    public void wake() {
        if (committed.availablePermits() == 0) {
            committed.release();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (thread != null) {
            running = false;
            committed.release();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void relay() {
        while (running) {
            committed.drainPermits();
            round();
            try {
                committed.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static Properties producerConfig(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // A round sends its rows and then flushes, so linger only gathers the sends of one round: short is enough.
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A round (500 rows of a few hundred bytes over a topic's partitions) fits in one batch per partition.
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
        // No compression: the relay and the broker share a small machine's CPU, and a round's bytes are few (see the
        // service-kit README, "The producer"); lz4 is not on the local broker's classpath either.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        // Kafka's defaults, named: Outbox refuses events above bulwark.outbox.max-event-bytes, which stays below this.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
        // a send waits at most this long for a topic's metadata; the default (60 s) would stall every other row
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private void round() {
        if (!backoff.isZero()) {
            sleep(backoff);
        }
        try {
            OutboxPublisher.Round round;
            do {
                round = publishBatch();
                published.increment(round.published());
                for (OutboxPublisher.Parked row : round.parked()) {
                    parked.increment();
                    LOG.errorf(
                            "Outbox event %s (row %d, %s key %s) parked in outbox_parked, Kafka refused it for good: %s."
                                    + " Later events of this key wait until it is re-queued or discarded"
                                    + " (service-kit README, \"Parked events\").",
                            row.eventId(), row.id(), row.topic(), row.key(), row.reason());
                }
                if (round.retryLater().isPresent()) {
                    throw round.retryLater().get();
                }
            } while (round.settledAny());
            backoff = Duration.ZERO;
        } catch (Exception e) {
            failures.increment();
            backoff = backoff.isZero()
                    ? Duration.ofMillis(200)
                    : backoff.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0
                            ? Duration.ofSeconds(5)
                            : backoff.multipliedBy(2);
            LOG.warnf("Outbox relay round failed, retrying in %s: %s", backoff, e.toString());
        }
    }

    private OutboxPublisher.Round publishBatch() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return publisher.publishBatch(connection);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
