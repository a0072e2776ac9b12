package dev.bulwark.signoutbridge;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

/**
 * Consumes {@code bulwark.signout.v1} with a plain Kafka consumer and carries each SignOutRequired out at the
 * identity provider, in order per partition (per user, as the topic is keyed by user id).
 *
 * <ul>
 *   <li>An offset is committed only after its record was carried out, skipped or dead-lettered: a crash redelivers,
 *       and the provider adapter's idempotence makes the repeat harmless.
 *   <li>The provider away (or answering 5xx/429): the same record is tried again after a backoff that doubles up to
 *       the configured maximum; the partitions are paused meanwhile (the consumer keeps polling, so it stays in its
 *       group), readiness is DOWN, nothing is skipped.
 *   <li>A record that can never be read, or that the provider refuses for good as configured, goes to the dead-letter
 *       topic with its reason, its origin and its headers; the next record goes on.
 * </ul>
 */
@ApplicationScoped
public class SignOutConsumer {

    private static final Logger LOG = Logger.getLogger(SignOutConsumer.class);

    /** Event ids carried out lately: a repeat is counted and skipped (it would end nothing new anyway). */
    private static final int REMEMBERED = 10_000;

    private final BridgeConfig config;
    private final SessionEnder provider;
    private final BridgeMetrics metrics;
    private final Clock clock;
    private final Map<String, Object> kafkaConfig;
    private final SignOutRecords records = SignOutRecords.published();
    private final Map<String, Boolean> recent = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    private volatile Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private volatile boolean polling;
    private volatile Optional<String> providerProblem = Optional.empty();
    private volatile Optional<String> stopped = Optional.empty();

    public SignOutConsumer(
            BridgeConfig config,
            SessionEnder provider,
            BridgeMetrics metrics,
            Clock clock,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.provider = provider;
        this.metrics = metrics;
        this.clock = clock;
        this.kafkaConfig = Map.copyOf(kafkaConfig);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("the sign-out consumer is disabled (bulwark.signout-bridge.enabled=false)");
            return;
        }
        running = true;
        thread = new Thread(this::run, "signout-bridge-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread worker = thread;
        if (worker != null) {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Whether the consumer is in its group and polling (for liveness and readiness). */
    public boolean polling() {
        return polling && thread != null && thread.isAlive();
    }

    /** What keeps the last record from being carried out now, if anything (for readiness). */
    public Optional<String> providerProblem() {
        return providerProblem;
    }

    /** Why the consumer ended, if it did. */
    public Optional<String> stopped() {
        return stopped;
    }

    public boolean enabled() {
        return config.enabled();
    }

    private void run() {
        // every kafka.* setting (bootstrap servers, security protocol, SASL, TLS; env KAFKA_*) as the clients' base
        Map<String, Object> consumerConfig = new HashMap<>(kafkaConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        consumerConfig.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "signout-bridge-" + ProcessHandle.current().pid());
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(
                ProducerConfig.CLIENT_ID_CONFIG,
                "signout-bridge-dlq-" + ProcessHandle.current().pid());
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(
                        consumerConfig,
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new ByteArrayDeserializer());
                KafkaProducer<String, byte[]> deadLetters = new KafkaProducer<>(
                        producerConfig,
                        new org.apache.kafka.common.serialization.StringSerializer(),
                        new ByteArraySerializer());
                KafkaClientMetrics kafkaMetrics = new KafkaClientMetrics(kafka)) {
            kafkaMetrics.bindTo(metrics.registry());
            consumer = kafka;
            new Loop(kafka, deadLetters).run();
        } catch (WakeupException e) {
            if (running) {
                stopped = Optional.of("woken up while running: " + e);
                LOG.error("the sign-out consumer stopped", e);
            }
        } catch (RuntimeException | Error e) {
            stopped = Optional.of(e.toString());
            LOG.error("the sign-out consumer stopped; readiness and liveness are DOWN", e);
        } finally {
            polling = false;
            consumer = null;
        }
    }

    /** One consumer's loop: records fetched and not yet done, in order, and the offsets done since the last commit. */
    private final class Loop implements ConsumerRebalanceListener {

        private final KafkaConsumer<String, byte[]> kafka;
        private final KafkaProducer<String, byte[]> deadLetters;
        private final Deque<ConsumerRecord<String, byte[]>> pending = new ArrayDeque<>();
        private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        private Duration backoff = config.initialBackoff();

        Loop(KafkaConsumer<String, byte[]> kafka, KafkaProducer<String, byte[]> deadLetters) {
            this.kafka = kafka;
            this.deadLetters = deadLetters;
        }

        void run() {
            kafka.subscribe(List.of(config.topic()), this);
            while (running) {
                if (pending.isEmpty()) {
                    if (!kafka.paused().isEmpty()) {
                        kafka.resume(kafka.paused());
                    }
                    commit();
                    kafka.poll(Duration.ofMillis(500)).forEach(pending::add);
                    polling = true;
                    updateLag();
                    continue;
                }
                ConsumerRecord<String, byte[]> next = pending.peekFirst();
                try {
                    handle(next);
                    pending.removeFirst();
                    done.put(
                            new TopicPartition(next.topic(), next.partition()),
                            new OffsetAndMetadata(next.offset() + 1));
                    if (providerProblem.isPresent()) {
                        LOG.infof("%s carries out sign-outs again", provider.name());
                        providerProblem = Optional.empty();
                        kafka.resume(kafka.paused());
                    }
                    backoff = config.initialBackoff();
                } catch (ProviderUnavailableException e) {
                    metrics.providerFailed(provider.name());
                    if (providerProblem.isEmpty()) {
                        LOG.warnf(
                                "%s cannot carry out sign-outs now; retrying with backoff: %s",
                                provider.name(), e.getMessage());
                    }
                    providerProblem = Optional.of(e.getMessage());
                    commit();
                    kafka.pause(kafka.assignment());
                    // polling while paused keeps the consumer in its group; only partitions a rebalance assigned in
                    // the meantime can return records, which queue behind the one that waits (none is dropped)
                    kafka.poll(backoff).forEach(pending::add);
                    backoff = backoff.multipliedBy(2);
                    if (backoff.compareTo(config.maxBackoff()) > 0) {
                        backoff = config.maxBackoff();
                    }
                }
            }
            commit();
        }

        private void handle(ConsumerRecord<String, byte[]> record) throws ProviderUnavailableException {
            SignOut signOut;
            try {
                signOut = records.read(record.value());
            } catch (UnreadableRecordException e) {
                deadLetter(record, "unreadable", e.getMessage());
                return;
            }
            if (recent.containsKey(signOut.eventId())) {
                metrics.skipped("repeated");
                return;
            }
            SessionEnder.Outcome outcome;
            try {
                outcome = provider.endSessions(signOut);
            } catch (RefusedSignOutException e) {
                deadLetter(record, "refused", e.getMessage());
                return;
            }
            if (outcome instanceof SessionEnder.Ended ended) {
                Duration since = Duration.between(signOut.occurredAt(), Instant.now(clock));
                metrics.carriedOut(provider.name(), signOut, ended, since);
                LOG.infof(
                        "signed out tenant %s user %s (%s) at %s: %d sessions, %d offline; %d ms after the event",
                        signOut.tenantId(),
                        signOut.userId(),
                        signOut.namesApps() ? "apps " + signOut.appIds() : "every app",
                        provider.name(),
                        ended.sessions(),
                        ended.offlineSessions(),
                        since.toMillis());
            } else if (outcome instanceof SessionEnder.UnknownUser unknown) {
                metrics.skipped("unknown_user");
                LOG.warnf("sign-out %s not carried out: %s", signOut.eventId(), unknown.detail());
            } else {
                metrics.skipped("tenant_not_served");
            }
            recent.put(signOut.eventId(), Boolean.TRUE);
        }

        private void deadLetter(ConsumerRecord<String, byte[]> record, String cause, String reason)
                throws ProviderUnavailableException {
            ProducerRecord<String, byte[]> letter =
                    new ProducerRecord<>(config.deadLetterTopic(), null, record.key(), record.value());
            for (Header header : record.headers()) {
                letter.headers().add(header);
            }
            letter.headers().add("bulwark-dlq-reason", reason.getBytes(StandardCharsets.UTF_8));
            letter.headers().add("bulwark-dlq-cause", cause.getBytes(StandardCharsets.UTF_8));
            letter.headers()
                    .add(
                            "bulwark-dlq-origin",
                            (record.topic() + "/" + record.partition() + "/" + record.offset())
                                    .getBytes(StandardCharsets.UTF_8));
            try {
                deadLetters.send(letter).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // not lost: the record stays uncommitted and is tried again
                throw new ProviderUnavailableException("the dead-letter topic refused the record: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderUnavailableException("interrupted while dead-lettering", e);
            }
            metrics.deadLettered(cause);
            LOG.errorf(
                    "dead-lettered %s/%d/%d to %s: %s",
                    record.topic(), record.partition(), record.offset(), config.deadLetterTopic(), reason);
        }

        private void commit() {
            if (!done.isEmpty()) {
                kafka.commitSync(done);
                done.clear();
            }
        }

        private void updateLag() {
            long total = pending.size();
            for (TopicPartition partition : kafka.assignment()) {
                OptionalLong lag = kafka.currentLag(partition);
                if (lag.isPresent()) {
                    total += lag.getAsLong();
                }
            }
            metrics.lag(total);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
            Set<TopicPartition> revoked = Set.copyOf(partitions);
            pending.removeIf(r -> revoked.contains(new TopicPartition(r.topic(), r.partition())));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (providerProblem.isPresent()) {
                kafka.pause(partitions);
            }
        }
    }
}
