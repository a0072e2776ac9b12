package dev.bulwark.kit.tracing;

import dev.bulwark.contract.Envelope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The W3C trace context an event carries across the outbox and Kafka, as the CloudEvents distributed-tracing
 * extension in binary mode: headers {@value #TRACEPARENT} (and {@value #TRACESTATE} when there is one).
 *
 * <p>Which context an appended event carries: the context of its cause when the cause was consumed or appended on this
 * thread in the current unit of work (events name it in {@code causeEventId}; a consumer's batch applies many records
 * in one transaction, and each event must continue the trace of the record that caused it), else the current one (the
 * HTTP request's span). A consumer remembers each record's context by its event id while it applies it; the outbox
 * remembers each appended event's, so an event caused by another event of the same transaction continues its trace.
 * {@link #forget()} ends the unit of work.
 */
public final class EventTracing {

    /** The CloudEvents distributed-tracing extension's {@code traceparent}, as a Kafka header (binary mode). */
    public static final String TRACEPARENT = "ce_traceparent";

    public static final String TRACESTATE = "ce_tracestate";

    /** The contexts of the unit of work on this thread, by event id; null outside one (an HTTP request has none). */
    private static final ThreadLocal<Map<String, Context>> BY_EVENT = new ThreadLocal<>();

    private static final TextMapGetter<Headers> FROM_KAFKA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header header = carrier.lastHeader("ce_" + key);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private EventTracing() {}

    /** The context an event appended now continues (see the class comment); {@link Context#root()} when none. */
    public static Context contextFor(SpecificRecord event) {
        Context cause = causeOf(event);
        return cause != null ? cause : Context.current();
    }

    /** Adds {@value #TRACEPARENT} (and {@value #TRACESTATE}) for {@code context} when it holds a valid span. */
    public static void inject(Context context, Map<String, String> headers) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return;
        }
        W3CTraceContextPropagator.getInstance()
                .inject(context, headers, (carrier, key, value) -> carrier.put("ce_" + key, value));
    }

    /** The context a record's headers carry, as the parent of its consumer's span; the root context when none. */
    public static Context extract(Headers headers) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, FROM_KAFKA);
    }

    /** Starts a unit of work on this thread (a consumer applying a record or a batch); ended by {@link #forget()}. */
    public static void begin() {
        BY_EVENT.set(new HashMap<>());
    }

    /** Keeps {@code context} as the one events caused by {@code eventId} continue, until {@link #forget()}. */
    public static void remember(String eventId, Context context) {
        Map<String, Context> known = BY_EVENT.get();
        if (known != null
                && eventId != null
                && Span.fromContext(context).getSpanContext().isValid()) {
            known.put(eventId, context);
        }
    }

    /** Ends the unit of work: the contexts remembered on this thread are dropped. */
    public static void forget() {
        BY_EVENT.remove();
    }

    /** Appended: remembered under its own id, so the events it causes in this unit of work continue its trace. */
    public static void appended(SpecificRecord event, Context context) {
        remember(Envelope.eventId(event), context);
    }

    private static Context causeOf(SpecificRecord event) {
        Map<String, Context> known = BY_EVENT.get();
        if (known == null || known.isEmpty()) {
            return null;
        }
        Schema.Field field = event.getSchema().getField("causeEventId");
        if (field == null) {
            return null;
        }
        Object cause = event.get(field.pos());
        return cause == null ? null : known.get(cause.toString());
    }
}
