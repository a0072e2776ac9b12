package dev.bulwark.compliance.support;

import dev.bulwark.kit.inbox.ConsumedEvents;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Sends a record a batch consumer (devices, directory) cannot apply to {@code bulwark.compliance-service.dlq.v1}: its
 * key and bytes as they came, its own headers, and the reason in the headers SmallRye's dead-letter strategy writes
 * ({@code dead-letter-reason}, {@code -cause}, {@code -topic}, {@code -partition}, {@code -offset}). The batch consumer
 * needs this itself: the channel's failure strategy would dead-letter a whole batch, not the one record that failed.
 * The send is awaited, so the batch is acknowledged only once its dead letters are on the topic.
 */
@ApplicationScoped
public class BatchDeadLetters {

    /** The outgoing channel bound to the service's dead-letter topic in application.properties. */
    static final String CHANNEL = "dead-letters";

    private static final Logger LOG = Logger.getLogger(BatchDeadLetters.class);

    private final MutinyEmitter<byte[]> emitter;

    BatchDeadLetters(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    /** A record of a batch and the event it carries. */
    public record Decoded(ConsumerRecord<String, byte[]> record, SpecificRecord event) {}

    /** The batch's records decoded, in order; each that cannot be decoded is dead-lettered and left out. */
    public List<Decoded> decode(ConsumerRecords<String, byte[]> records) {
        List<Decoded> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                batch.add(new Decoded(record, ConsumedEvents.decode(record)));
            } catch (RuntimeException undecodable) {
                send(record, undecodable);
            }
        }
        return batch;
    }

    /**
     * Applies the batch in one new transaction; when that fails, each record again in a transaction of its own, and
     * dead-letters only those that fail alone. Returns when every record is applied or dead-lettered.
     */
    public void applyInOneTransaction(List<Decoded> batch, Consumer<List<Decoded>> apply) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> apply.accept(batch));
        } catch (RuntimeException failure) {
            if (batch.size() == 1) {
                send(batch.get(0).record(), failure);
                return;
            }
            LOG.warnf("A batch of %d records failed (%s); applying them one by one", batch.size(), failure.toString());
            for (Decoded one : batch) {
                try {
                    QuarkusTransaction.requiringNew().run(() -> apply.accept(List.of(one)));
                } catch (RuntimeException poison) {
                    send(one.record(), poison);
                }
            }
        }
    }

    /** Sends {@code record} with {@code reason}; waits until the topic has it. */
    public void send(ConsumerRecord<String, byte[]> record, Throwable reason) {
        LOG.warnf(
                reason,
                "Dead-lettering %s-%d@%d (key %s): %s",
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                reason.getMessage());
        Headers headers = new RecordHeaders(record.headers().toArray());
        Throwable cause = reason.getCause() == null ? reason : reason.getCause();
        header(headers, "dead-letter-reason", Objects.requireNonNullElse(reason.getMessage(), reason.toString()));
        header(headers, "dead-letter-exception-class-name", reason.getClass().getName());
        header(headers, "dead-letter-cause", Objects.requireNonNullElse(cause.getMessage(), cause.toString()));
        header(headers, "dead-letter-cause-class-name", cause.getClass().getName());
        header(headers, "dead-letter-topic", record.topic());
        header(headers, "dead-letter-partition", Integer.toString(record.partition()));
        header(headers, "dead-letter-offset", Long.toString(record.offset()));
        // a tombstone has no bytes to keep; an empty value stands for it
        byte[] value = record.value() == null ? new byte[0] : record.value();
        Message<byte[]> message = Message.of(value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(record.key())
                        .withHeaders(headers)
                        .build());
        emitter.sendMessageAndAwait(message);
    }

    private static void header(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
