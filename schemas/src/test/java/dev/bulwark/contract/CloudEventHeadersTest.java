package dev.bulwark.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.SignOutRequired;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class CloudEventHeadersTest {

    private final DeviceEnrolled event = SampleEvents.full(DeviceEnrolled.class);

    @Test
    void headersCarryTheEnvelopeInTheContractsOrder() {
        Map<String, String> headers = CloudEventHeaders.of(event, "device-registry", "device-1");

        assertThat(headers)
                .containsExactly(
                        Map.entry("ce_specversion", "1.0"),
                        Map.entry("ce_id", event.getEventId()),
                        Map.entry("ce_type", "DeviceEnrolled"),
                        Map.entry("ce_source", "device-registry"),
                        Map.entry("ce_time", "2026-03-01T10:15:30.123Z"),
                        Map.entry("ce_subject", "device-1"),
                        Map.entry("content-type", "application/avro"));
    }

    @Test
    void theTypeIsTheRecordsSimpleName() {
        SignOutRequired signOut = SampleEvents.full(SignOutRequired.class);

        assertThat(CloudEventHeaders.type(CloudEventHeaders.of(signOut, "compliance-service", "user-bob")))
                .contains("SignOutRequired");
    }

    @Test
    void theTimeKeepsWholeSecondsReadable() {
        DeviceEnrolled onTheSecond = DeviceEnrolled.newBuilder(event)
                .setOccurredAt(java.time.Instant.parse("2026-03-01T10:15:30Z"))
                .build();

        assertThat(CloudEventHeaders.of(onTheSecond, "device-registry", "device-1"))
                .containsEntry("ce_time", "2026-03-01T10:15:30Z");
    }

    @Test
    void theHeadersCannotBeChangedAfterwards() {
        Map<String, String> headers = CloudEventHeaders.of(event, "device-registry", "device-1");

        assertThatThrownBy(() -> headers.put("ce_type", "Other")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBlankSourceOrSubjectIsRefused() {
        assertThatThrownBy(() -> CloudEventHeaders.of(event, " ", "device-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source");
        assertThatThrownBy(() -> CloudEventHeaders.of(event, "device-registry", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subject");
    }

    @Test
    void theTypeIsEmptyWhenTheHeaderIsMissing() {
        assertThat(CloudEventHeaders.type(Map.of("ce_id", "x"))).isEmpty();
        assertThat(CloudEventHeaders.type(new RecordHeaders())).isEmpty();
    }

    @Test
    void kafkaHeadersRoundTripAsUtf8InOrder() {
        Map<String, String> headers = CloudEventHeaders.of(event, "device-registry", "device-1");

        Headers kafka = CloudEventHeaders.toKafka(headers);

        assertThat(CloudEventHeaders.type(kafka)).contains("DeviceEnrolled");
        assertThat(CloudEventHeaders.value(kafka, CloudEventHeaders.ID)).contains(event.getEventId());
        assertThat(CloudEventHeaders.fromKafka(kafka)).containsExactlyEntriesOf(headers);
    }

    @Test
    void theLastKafkaHeaderOfARepeatedNameWins() {
        Headers kafka = new RecordHeaders();
        kafka.add("ce_type", "Old".getBytes(StandardCharsets.UTF_8));
        kafka.add("ce_type", "DeviceRetired".getBytes(StandardCharsets.UTF_8));
        kafka.add("dead-letter-reason", null);

        assertThat(CloudEventHeaders.type(kafka)).contains("DeviceRetired");
        assertThat(CloudEventHeaders.fromKafka(kafka)).containsExactly(Map.entry("ce_type", "DeviceRetired"));
    }

    @Test
    void theMapBasedApiWorksWithoutKafkaClientsOnTheClassPath() throws Throwable {
        byte[] bytes = EventCodec.encode(event);
        try (URLClassLoader withoutKafka = new URLClassLoader(
                Stream.of(
                                CloudEventHeaders.class,
                                org.apache.avro.Schema.class,
                                com.fasterxml.jackson.core.JsonFactory.class,
                                com.fasterxml.jackson.databind.ObjectMapper.class,
                                com.fasterxml.jackson.annotation.JsonProperty.class,
                                org.slf4j.Logger.class)
                        .map(CloudEventHeadersTest::location)
                        .toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> withoutKafka.loadClass(Headers.class.getName()))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> headers = Class.forName(CloudEventHeaders.class.getName(), true, withoutKafka);
            Class<?> codec = Class.forName(EventCodec.class.getName(), true, withoutKafka);
            Class<?> record = withoutKafka.loadClass(org.apache.avro.specific.SpecificRecord.class.getName());
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle decode = lookup.findStatic(codec, "decode", MethodType.methodType(record, byte[].class));
            MethodHandle of = lookup.findStatic(
                    headers, "of", MethodType.methodType(Map.class, record, String.class, String.class));
            MethodHandle type = lookup.findStatic(headers, "type", MethodType.methodType(Optional.class, Map.class));

            Object decoded = decode.invoke(bytes);
            @SuppressWarnings("unchecked")
            Map<String, String> values = (Map<String, String>) of.invoke(decoded, "device-registry", "device-1");

            assertThat(values).containsEntry("ce_id", event.getEventId());
            assertThat(type.invoke(values)).isEqualTo(Optional.of("DeviceEnrolled"));
        }
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}
