package dev.bulwark.policy.signin;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.kit.inbox.ConsumedEvents;
import dev.bulwark.policy.signout.SignOutNotice;
import dev.bulwark.policy.signout.SignOutState;
import dev.bulwark.policy.signout.SignOutStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Every replica's own view of the events that change sign-in answers, so that a change reaches every replica within
 * about a second rather than at its next periodic catch-up. The service's consumers share their topics' partitions
 * between replicas (one consumer group), so each replica's consumers see only part of the events; this feed reads ALL
 * partitions of {@code bulwark.signout.v1}, {@code bulwark.policies.v1} and {@code bulwark.directory.v1} in every
 * replica, without a consumer group and from the end (the database holds the past):
 *
 * <ul>
 *   <li>a SignOutRequired is learned into memory at once ({@link SignOutState#learn}) — the replica whose consumer
 *       records it may not have committed yet, and the newer-stamp rule makes the double learning harmless;
 *   <li>a PolicyChanged (published after its row committed) or a directory event asks for a catch-up from the database
 *       now and once more a second later (the directory row is written by whichever replica's consumer holds the
 *       partition).
 * </ul>
 *
 * The in-memory states bump {@link dev.bulwark.policy.support.SignInVersions} on every change, which is what makes the
 * remembered answers stale.
 */
public final class SignInStateFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SignInStateFeed.class);
    private static final List<String> TOPICS = List.of(Topics.SIGNOUT, Topics.POLICIES, Topics.DIRECTORY);
    private static final Duration FOLLOW_UP = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final SignOutState signOuts;
    private final Runnable catchUp;
    private final Clock clock;
    private final Thread thread;
    private final Set<String> assigned = new HashSet<>();
    private volatile boolean running = true;
    private volatile boolean ready;
    private Instant followUpAt;

    /**
     * @param bootstrapServers the Kafka cluster
     * @param catchUp reads the rows other replicas wrote (the periodic catch-up, run now)
     */
    public SignInStateFeed(String bootstrapServers, SignOutState signOuts, Runnable catchUp, Clock clock) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "policy-service-sign-in-feed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.signOuts = signOuts;
        this.catchUp = catchUp;
        this.clock = clock;
        this.thread = new Thread(this::run, "sign-in-state-feed");
        this.thread.setDaemon(true);
    }

    /** Starts reading, from the end of each partition. */
    public SignInStateFeed start() {
        thread.start();
        return this;
    }

    /** Whether every topic's partitions are assigned and positioned (events published from now on are seen). */
    public boolean ready() {
        return ready;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running) {
                try {
                    assignMissingTopics();
                    boolean askCatchUp = false;
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        askCatchUp |= apply(record);
                    }
                    Instant now = clock.instant();
                    if (askCatchUp) {
                        catchUp.run();
                        followUpAt = now.plus(FOLLOW_UP);
                    } else if (followUpAt != null && !now.isBefore(followUpAt)) {
                        followUpAt = null;
                        catchUp.run();
                    }
                } catch (WakeupException e) {
                    // closing
                } catch (RuntimeException e) {
                    // the periodic catch-up still brings the changes, only later; keep reading
                    LOG.warn("The sign-in state feed failed a round; going on", e);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Applies one record; true when it asks for a catch-up from the database. */
    private boolean apply(ConsumerRecord<String, byte[]> record) {
        SpecificRecord event;
        try {
            event = ConsumedEvents.decode(record);
        } catch (RuntimeException e) {
            return false; // the service's own consumer dead-letters it
        }
        if (event instanceof SignOutRequired signOut) {
            for (SignOutNotice notice : SignOutStore.noticesOf(signOut)) {
                signOuts.learn(signOut.getTenantId(), signOut.getUserId(), notice);
            }
            return false;
        }
        return true;
    }

    private void assignMissingTopics() {
        if (assigned.size() == TOPICS.size()) {
            return;
        }
        List<TopicPartition> fresh = new ArrayList<>();
        for (String topic : TOPICS) {
            if (assigned.contains(topic)) {
                continue;
            }
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            if (partitions == null || partitions.isEmpty()) {
                continue;
            }
            partitions.forEach(p -> fresh.add(new TopicPartition(p.topic(), p.partition())));
            assigned.add(topic);
        }
        if (fresh.isEmpty()) {
            return;
        }
        List<TopicPartition> all = new ArrayList<>(consumer.assignment());
        all.addAll(fresh);
        consumer.assign(all);
        consumer.seekToEnd(fresh);
        fresh.forEach(consumer::position); // resolve the end now, not at the first poll
        ready = assigned.size() == TOPICS.size();
    }
}
