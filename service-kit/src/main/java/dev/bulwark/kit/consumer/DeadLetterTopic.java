package dev.bulwark.kit.consumer;

import dev.bulwark.contract.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's dead-letter topic ({@code bulwark.<service>.dlq.v1}): a poison record goes there with its key, bytes
 * and headers as they came, plus the reason in the headers SmallRye's dead-letter strategy writes
 * ({@code dead-letter-reason}, {@code -cause}, {@code -topic}, {@code -partition}, {@code -offset} …). The producer
 * is the service's own, made at the first dead letter, so services without consumers never open one.
 */
@ApplicationScoped
public class DeadLetterTopic {

    /** Header naming the topic the record was read from. */
    public static final String SOURCE_TOPIC = "dead-letter-topic";
    /** Header naming the partition the record was read from. */
    public static final String SOURCE_PARTITION = "dead-letter-partition";
    /** Header naming the offset the record was read at. */
    public static final String SOURCE_OFFSET = "dead-letter-offset";
    /** Header with the failure's message. */
    public static final String REASON = "dead-letter-reason";
    /** Header with the failure's cause's message. */
    public static final String CAUSE = "dead-letter-cause";
    /** Header with the failure's class. */
    public static final String EXCEPTION = "dead-letter-exception-class-name";
    /** Header with the failure cause's class. */
    public static final String CAUSE_CLASS = "dead-letter-cause-class-name";

    private final String bootstrapServers;
    private final String topic;
    private volatile KafkaProducer<String, byte[]> producer;

    DeadLetterTopic(
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "bulwark.service-name") String serviceName) {
        this.bootstrapServers = bootstrapServers;
        this.topic = Topics.deadLetter(serviceName);
    }

    /** The topic's name. */
    public String topic() {
        return topic;
    }

    /**
     * Sends {@code record} with {@code reason} and waits until the topic has it.
     *
     * @throws DeadLetterNotSent when the broker did not take it (a transient failure: try again)
     */
    public void send(ConsumerRecord<String, byte[]> record, Throwable reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        Throwable cause = reason.getCause() == null ? reason : reason.getCause();
        header(headers, REASON, Objects.requireNonNullElse(reason.getMessage(), reason.toString()));
        header(headers, EXCEPTION, reason.getClass().getName());
        header(headers, CAUSE, Objects.requireNonNullElse(cause.getMessage(), cause.toString()));
        header(headers, CAUSE_CLASS, cause.getClass().getName());
        header(headers, SOURCE_TOPIC, record.topic());
        header(headers, SOURCE_PARTITION, Integer.toString(record.partition()));
        header(headers, SOURCE_OFFSET, Long.toString(record.offset()));
        // a tombstone has no bytes to keep; an empty value stands for it
        byte[] value = record.value() == null ? new byte[0] : record.value();
        try {
            producer()
                    .send(new ProducerRecord<>(topic, null, record.key(), value, headers))
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new DeadLetterNotSent(topic, e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterNotSent(topic, e);
        }
    }

    /** The broker did not take a dead letter; the record must not be acknowledged. */
    public static final class DeadLetterNotSent extends RuntimeException {
        DeadLetterNotSent(String topic, Throwable cause) {
            super("could not write to " + topic + ": " + cause, cause);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrapServers,
                                    ProducerConfig.ACKS_CONFIG,
                                    "all",
                                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                    true,
                                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                    10_000,
                                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                                    30_000,
                                    ProducerConfig.CLIENT_ID_CONFIG,
                                    topic + "-writer"),
                            new StringSerializer(),
                            new ByteArraySerializer());
                }
            }
        }
        return producer;
    }

    private static void header(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
