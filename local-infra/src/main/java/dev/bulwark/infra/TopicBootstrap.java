package dev.bulwark.infra;

import dev.bulwark.contract.TopicSpec;
import dev.bulwark.contract.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates every topic of the catalogue, and each service's dead-letter topic, with the partition counts it names. */
public final class TopicBootstrap {

    /** The processes that consume topics and so own a dead-letter topic: the four services and the sign-out bridge. */
    public static final List<String> CONSUMING_SERVICES =
            List.of("device-registry", "assignment-service", "policy-service", "compliance-service", "signout-bridge");

    private TopicBootstrap() {}

    /** Every topic that should exist: the catalogue, then the dead-letter topics. */
    public static List<TopicSpec> allTopics() {
        List<TopicSpec> topics = new ArrayList<>(Topics.catalogue());
        CONSUMING_SERVICES.forEach(service -> topics.add(Topics.deadLetterSpec(service)));
        return topics;
    }

    /** Creates the topics that do not exist yet on the broker at {@code bootstrapServers}; returns those created. */
    public static List<String> createAll(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = allTopics().stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1))
                    .toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topics on " + bootstrapServers, e);
        }
    }
}
