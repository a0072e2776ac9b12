package dev.bulwark.kit.inbox;

import dev.bulwark.contract.EventCodec;
import dev.bulwark.contract.UnknownEventException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The first step of every Bulwark consumer: a record's value decoded as an event of the contract. What cannot be
 * decoded throws, and {@link dev.bulwark.kit.consumer.ConsumerRunner} sends it to the dead-letter topic with the reason.
 */
public final class ConsumedEvents {

    private ConsumedEvents() {}

    /**
     * The event a record carries.
     *
     * @throws IllegalArgumentException if the record has no value (a tombstone has no place on an event topic)
     * @throws UnknownEventException if the value is not an event of the contract
     */
    public static SpecificRecord decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException(
                    "record at " + record.topic() + "-" + record.partition() + "@" + record.offset() + " has no value");
        }
        return EventCodec.decode(record.value());
    }
}
