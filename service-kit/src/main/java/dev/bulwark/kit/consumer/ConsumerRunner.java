package dev.bulwark.kit.consumer;

import dev.bulwark.contract.Envelope;
import dev.bulwark.kit.inbox.ConsumedEvents;
import dev.bulwark.kit.security.TenantClaimFilter;
import dev.bulwark.kit.tracing.EventTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs every consumer's records, single or in batches: decodes them, applies them, and sorts failures with
 * {@link Failures}. A POISON record goes to the dead-letter topic with its reason and the channel goes on. A TRANSIENT
 * failure (database or broker away, a timeout, a serialization conflict) is retried on the same record or batch with
 * {@link Backoff#DEFAULT}, for as long as it lasts: the worker does not return, so SmallRye pauses the channel's
 * partitions and commits no offset past the record; {@link ConsumerHealth} reports the channel DOWN meanwhile. The
 * inbox row of each event commits with its effect, so an attempt that failed half-way is applied whole exactly once.
 * Each dead letter written counts in {@code bulwark.consumer.dead.letters} (tags: channel, the record's topic).
 */
@ApplicationScoped
public class ConsumerRunner {

    private static final Logger LOG = Logger.getLogger(ConsumerRunner.class);

    private final ConsumerHealth health;
    private final DeadLetterTopic deadLetters;
    private final MeterRegistry meters;
    private final Tracer tracer;
    private final Backoff backoff;
    private volatile boolean stopping;

    @Inject
    ConsumerRunner(ConsumerHealth health, DeadLetterTopic deadLetters, MeterRegistry meters, Tracer tracer) {
        this.health = health;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.tracer = tracer;
        this.backoff = Backoff.DEFAULT;
    }

    /** Without traces (tests of the runner alone). */
    ConsumerRunner(ConsumerHealth health, DeadLetterTopic deadLetters, MeterRegistry meters) {
        this(health, deadLetters, meters, OpenTelemetry.noop().getTracer("bulwark"));
    }

    /**
     * Applies one record with {@code handler}, which opens its own transaction(s): retried while it fails
     * transiently, dead-lettered when it fails for good. Returns once the record is applied or dead-lettered.
     */
    public void one(String channel, ConsumerRecord<String, byte[]> record, Consumer<Decoded> handler) {
        Optional<Decoded> decoded = decode(channel, record);
        if (decoded.isEmpty()) {
            return;
        }
        Span span = consumerSpan(channel, decoded.get());
        EventTracing.begin();
        MDC.put(TenantClaimFilter.LOG_TENANT, Envelope.tenantId(decoded.get().event()));
        MDC.put(LOG_SUBJECT, record.key() == null ? "" : record.key());
        try (Scope scope = span.makeCurrent()) {
            EventTracing.remember(Envelope.eventId(decoded.get().event()), Context.current());
            untilNotTransient(channel, () -> handler.accept(decoded.get()))
                    .ifPresent(poison -> deadLetter(channel, record, poison));
        } finally {
            EventTracing.forget();
            MDC.remove(TenantClaimFilter.LOG_TENANT);
            MDC.remove(LOG_SUBJECT);
            span.end();
        }
    }

    /** The log field (MDC) naming the record's key (the subject, device or user) while a single record is applied. */
    public static final String LOG_SUBJECT = "subject";

    /**
     * Applies a poll's records with {@code apply} in ONE new transaction, retried as a whole while it fails transiently.
     * When it fails for good, each record is applied again in a transaction of its own (retried the same way), and only
     * those that fail for good alone are dead-lettered. Undecodable records are dead-lettered first and left out.
     */
    public void batch(String channel, ConsumerRecords<String, byte[]> records, Consumer<List<Decoded>> apply) {
        List<Decoded> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            decode(channel, record).ifPresent(batch::add);
        }
        if (batch.isEmpty()) {
            return;
        }
        // one span per record, each continuing its record's trace; the events a record causes carry its span
        List<Span> spans = new ArrayList<>(batch.size());
        EventTracing.begin();
        try {
            for (Decoded one : batch) {
                Span span = consumerSpan(channel, one);
                spans.add(span);
                EventTracing.remember(
                        Envelope.eventId(one.event()), Context.root().with(span));
            }
            applyBatch(channel, batch, apply);
        } finally {
            EventTracing.forget();
            spans.forEach(Span::end);
        }
    }

    private void applyBatch(String channel, List<Decoded> batch, Consumer<List<Decoded>> apply) {
        Optional<RuntimeException> poison = untilNotTransient(
                channel, () -> QuarkusTransaction.requiringNew().run(() -> apply.accept(batch)));
        if (poison.isEmpty()) {
            return;
        }
        if (batch.size() == 1) {
            deadLetter(channel, batch.get(0).record(), poison.get());
            return;
        }
        LOG.warnf("A batch of %d records on %s failed (%s); applying them one by one", batch.size(), channel, poison);
        for (Decoded one : batch) {
            untilNotTransient(channel, () -> QuarkusTransaction.requiringNew().run(() -> apply.accept(List.of(one))))
                    .ifPresent(failure -> deadLetter(channel, one.record(), failure));
        }
    }

    /**
     * Tries {@code attempt} once, as a re-drive does: the record's event decoded and handed to {@code handler}.
     *
     * @throws RuntimeException what the attempt threw, for the caller to report
     */
    public static void once(ConsumerRecord<String, byte[]> record, Consumer<Decoded> handler) {
        handler.accept(new Decoded(record, ConsumedEvents.decode(record)));
    }

    /** A CONSUMER span for a record, the child of the span its producer's event carried ({@code ce_traceparent}). */
    private Span consumerSpan(String channel, Decoded decoded) {
        ConsumerRecord<String, byte[]> record = decoded.record();
        return tracer.spanBuilder(record.topic() + " process")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(EventTracing.extract(record.headers()))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("messaging.consumer.group.name", channel)
                .setAttribute("messaging.message.id", Envelope.eventId(decoded.event()))
                .setAttribute(
                        "cloudevents.event_type", decoded.event().getSchema().getName())
                .startSpan();
    }

    private Optional<Decoded> decode(String channel, ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(new Decoded(record, ConsumedEvents.decode(record)));
        } catch (RuntimeException undecodable) {
            deadLetter(channel, record, undecodable);
            return Optional.empty();
        }
    }

    private void deadLetter(String channel, ConsumerRecord<String, byte[]> record, RuntimeException reason) {
        LOG.warnf(
                reason,
                "Dead-lettering %s-%d@%d (key %s) from %s: %s",
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                channel,
                reason.getMessage());
        // the broker away is transient too: the record waits until its dead letter is written
        untilNotTransient(channel, () -> deadLetters.send(record, reason)).ifPresent(failure -> {
            throw failure;
        });
        Counter.builder("bulwark.consumer.dead.letters")
                .description("Records a consumer could never apply, written to the service's dead-letter topic")
                .tag("channel", channel)
                .tag("topic", record.topic())
                .register(meters)
                .increment();
    }

    /** Runs {@code attempt} until it succeeds (empty) or fails for good (the failure). */
    private Optional<RuntimeException> untilNotTransient(String channel, Runnable attempt) {
        while (true) {
            try {
                attempt.run();
                health.recovered(channel);
                return Optional.empty();
            } catch (RuntimeException failure) {
                if (Failures.classify(failure) == Failures.Kind.POISON) {
                    return Optional.of(failure);
                }
                int failures = health.failed(channel, failure);
                Duration wait = backoff.after(failures);
                if (failures == 1 || failures % 20 == 0) {
                    LOG.warnf(
                            "Channel %s: transient failure (%s), attempt %d; retrying the same records in %d ms",
                            channel, rootMessage(failure), failures, wait.toMillis());
                }
                pause(channel, wait, failure);
            }
        }
    }

    private void pause(String channel, Duration wait, RuntimeException last) {
        if (stopping) {
            throw new ConsumerStopping(channel, last);
        }
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsumerStopping(channel, last);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : failure + " ← " + root;
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }
}
