package dev.bulwark.kit.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The trace context an event carries: as ce_traceparent, and from its cause when the cause is known on this thread. */
class EventTracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @AfterEach
    void endUnit() {
        EventTracing.forget();
    }

    @Test
    void aValidContextTravelsAsTheCloudEventsTraceparentHeaderAndComesBackFromKafkaHeaders() {
        Context context = context("00f067aa0ba902b7");
        Map<String, String> headers = new HashMap<>();

        EventTracing.inject(context, headers);

        assertThat(headers).containsEntry(EventTracing.TRACEPARENT, "00-" + TRACE + "-00f067aa0ba902b7-01");
        RecordHeaders kafka = new RecordHeaders();
        headers.forEach((k, v) -> kafka.add(k, v.getBytes(StandardCharsets.UTF_8)));
        SpanContext read = Span.fromContext(EventTracing.extract(kafka)).getSpanContext();
        assertThat(read.getTraceId()).isEqualTo(TRACE);
        assertThat(read.getSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(read.isRemote()).isTrue();
    }

    @Test
    void withoutASpanNothingIsAddedAndARecordWithoutTheHeaderHasNoParent() {
        Map<String, String> headers = new HashMap<>();

        EventTracing.inject(Context.root(), headers);

        assertThat(headers).isEmpty();
        assertThat(Span.fromContext(EventTracing.extract(new RecordHeaders()))
                        .getSpanContext()
                        .isValid())
                .isFalse();
    }

    @Test
    void inAConsumersUnitOfWorkAnEventContinuesTheTraceOfTheRecordOrEventThatCausedIt() {
        Context record = context("1111111111111111");
        Context unrelated = context("2222222222222222");
        EventTracing.begin();
        EventTracing.remember("record-1", record);
        ComplianceFailed failed = failed("record-1");

        try (Scope ignored = unrelated.makeCurrent()) {
            Context forFailed = EventTracing.contextFor(failed);
            assertThat(forFailed).isSameAs(record);
            EventTracing.appended(failed, forFailed);
            // the sign-out names the verdict of the same transaction as its cause
            assertThat(EventTracing.contextFor(signOut(failed.getEventId()))).isSameAs(record);
            assertThat(EventTracing.contextFor(signOut("not-seen"))).isSameAs(unrelated);
        }
    }

    @Test
    void outsideAUnitOfWorkNothingIsRememberedAndTheCurrentContextIsUsed() {
        Context current = context("3333333333333333");
        EventTracing.remember("record-1", context("1111111111111111"));

        try (Scope ignored = current.makeCurrent()) {
            assertThat(EventTracing.contextFor(failed("record-1"))).isSameAs(Context.current());
        }
    }

    private static Context context(String spanId) {
        return Context.root()
                .with(Span.wrap(SpanContext.create(TRACE, spanId, TraceFlags.getSampled(), TraceState.getDefault())));
    }

    private static ComplianceFailed failed(String cause) {
        return ComplianceFailed.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId("t")
                .setSubjectId("device-1")
                .setUserId("alice")
                .setManagementType(ManagementType.MANAGED)
                .setViolations(List.of())
                .setRemediationEnabled(false)
                .setCauseEventId(cause)
                .build();
    }

    private static SignOutRequired signOut(String cause) {
        return SignOutRequired.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId("t")
                .setUserId("alice")
                .setSubjectId("device-1")
                .setManagementType(ManagementType.MANAGED)
                .setAppIds(List.of())
                .setReason(SignOutReason.REMEDIATION_DISABLED)
                .setUserMessage("Sign in again.")
                .setCauseEventId(cause)
                .build();
    }
}
