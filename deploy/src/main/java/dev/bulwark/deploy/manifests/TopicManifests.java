package dev.bulwark.deploy.manifests;

import dev.bulwark.contract.TopicSpec;
import dev.bulwark.contract.Topics;
import dev.bulwark.infra.TopicBootstrap;
import java.util.List;

/**
 * The topics a deployment must create, written for Strimzi (one {@code KafkaTopic} each) and for docker-compose (a
 * {@code kafka-topics.sh} script), both from {@link TopicBootstrap#allTopics()} so the partition counts are the
 * catalogue's.
 */
public final class TopicManifests {

    /** The Strimzi {@code Kafka} resource the topics belong to; its bootstrap service is {@code bulwark-kafka-bootstrap}. */
    public static final String KAFKA_CLUSTER = "bulwark";

    /** Failed records are kept a fortnight for someone to look at; the other topics keep the cluster's retention. */
    static final long DEAD_LETTER_RETENTION_MS = 14L * 24 * 60 * 60 * 1000;

    private TopicManifests() {}

    /** One {@code KafkaTopic} per topic, replicated 3 times with 2 in sync (overlays may lower it for one broker). */
    public static String strimziTopics() {
        StringBuilder yaml = new StringBuilder(
                GeneratedFiles.stamp("#", "the topic catalogue (dev.bulwark.infra.TopicBootstrap.allTopics())"));
        for (TopicSpec topic : topics()) {
            yaml.append("---\n")
                    .append("apiVersion: kafka.strimzi.io/v1beta2\n")
                    .append("kind: KafkaTopic\n")
                    .append("metadata:\n")
                    .append("  name: ")
                    .append(topic.name())
                    .append('\n')
                    .append("  labels:\n")
                    .append("    strimzi.io/cluster: ")
                    .append(KAFKA_CLUSTER)
                    .append('\n')
                    .append("  annotations:\n")
                    .append("    bulwark.dev/key: \"")
                    .append(topic.key())
                    .append("\"\n")
                    .append("spec:\n")
                    .append("  topicName: ")
                    .append(topic.name())
                    .append('\n')
                    .append("  partitions: ")
                    .append(topic.partitions())
                    .append('\n')
                    .append("  replicas: 3\n")
                    .append("  config:\n")
                    .append("    min.insync.replicas: 2\n");
            if (isDeadLetter(topic)) {
                yaml.append("    retention.ms: ")
                        .append(DEAD_LETTER_RETENTION_MS)
                        .append('\n');
            }
        }
        return yaml.toString();
    }

    /**
     * A POSIX shell script for the {@code apache/kafka} image that creates every topic that is missing; the bootstrap
     * address is its first argument, the replication factor {@code $BULWARK_TOPIC_REPLICATION} (default 1).
     */
    public static String createTopicsScript() {
        StringBuilder sh = new StringBuilder("#!/bin/sh\n")
                .append(GeneratedFiles.stamp("#", "the topic catalogue (dev.bulwark.infra.TopicBootstrap.allTopics())"))
                .append(
                        "# Creates every topic of the catalogue and each service's dead-letter topic; topics that exist are\n")
                .append("# left alone, so it is safe to run again. Usage: create-topics.sh <bootstrap servers>\n")
                .append("set -eu\n")
                .append("BOOTSTRAP=\"${1:-kafka:9092}\"\n")
                .append("REPLICATION=\"${BULWARK_TOPIC_REPLICATION:-1}\"\n")
                .append("KAFKA_TOPICS=\"${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}\"\n")
                .append("\n")
                .append("create() {\n")
                .append("  echo \"topic $1: $2 partitions, replication factor $REPLICATION\"\n")
                .append("  \"$KAFKA_TOPICS\" --bootstrap-server \"$BOOTSTRAP\" --create --if-not-exists \\\n")
                .append("    --topic \"$1\" --partitions \"$2\" --replication-factor \"$REPLICATION\"\n")
                .append("}\n\n");
        for (TopicSpec topic : topics()) {
            sh.append("create ")
                    .append(topic.name())
                    .append(' ')
                    .append(topic.partitions())
                    .append('\n');
        }
        sh.append("echo \"all ").append(topics().size()).append(" topics exist\"\n");
        return sh.toString();
    }

    /** The catalogue, then each consuming service's dead-letter topic. */
    public static List<TopicSpec> topics() {
        return TopicBootstrap.allTopics();
    }

    static boolean isDeadLetter(TopicSpec topic) {
        return Topics.spec(topic.name()).isEmpty();
    }
}
