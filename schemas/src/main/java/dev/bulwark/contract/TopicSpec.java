package dev.bulwark.contract;

import java.util.List;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One Kafka topic of the public contract: its name, what its records are keyed by, how many partitions it is created
 * with and which event records it carries.
 *
 * @param name the topic name, e.g. {@code bulwark.devices.v1}
 * @param key what the record key is, in words (e.g. {@code "deviceId or registrationId"}); see
 *     {@link Envelope#key(SpecificRecord)} for the key of a given event
 * @param partitions partition count the topic is created with
 * @param recordTypes the generated event classes the topic carries; empty for dead-letter topics, which carry
 *     whatever failed
 */
public record TopicSpec(String name, String key, int partitions, List<Class<? extends SpecificRecord>> recordTypes) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        recordTypes = List.copyOf(recordTypes);
    }

    /** Whether this topic carries events of the given type. */
    public boolean carries(Class<? extends SpecificRecord> type) {
        return recordTypes.contains(type);
    }
}
