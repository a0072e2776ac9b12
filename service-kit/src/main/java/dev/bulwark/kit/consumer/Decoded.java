package dev.bulwark.kit.consumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A consumed record and the event it carries. */
public record Decoded(ConsumerRecord<String, byte[]> record, SpecificRecord event) {}
