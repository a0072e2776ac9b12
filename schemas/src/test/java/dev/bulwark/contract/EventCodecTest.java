package dev.bulwark.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.contract.UnknownEventException.Reason;
import dev.bulwark.events.DeviceEnrolled;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.Ownership;
import dev.bulwark.events.Platform;
import dev.bulwark.events.SignOutRequired;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

    static Stream<SpecificRecord> everyEvent() {
        return Stream.concat(SampleEvents.full().stream(), SampleEvents.minimal().stream());
    }

    @Test
    void theSamplesCoverEveryEventTypeOfTheCatalogue() {
        assertThat(SampleEvents.full().stream().map(Object::getClass).collect(Collectors.toList()))
                .containsExactlyInAnyOrderElementsOf(Topics.eventTypes());
        assertThat(SampleEvents.minimal().stream().map(Object::getClass).collect(Collectors.toList()))
                .containsExactlyInAnyOrderElementsOf(Topics.eventTypes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void everyEventSurvivesARoundTrip(SpecificRecord event) {
        byte[] bytes = EventCodec.encode(event);

        assertThat(EventCodec.decode(bytes)).isEqualTo(event);
        assertThat(EventCodec.decode(bytes, event.getClass())).isEqualTo(event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void anEncodedEventStartsWithTheMarkerAndItsSchemaFingerprint(SpecificRecord event) {
        byte[] bytes = EventCodec.encode(event);

        long expected = SchemaNormalization.parsingFingerprint64(event.getSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(expected)
                .isEqualTo(EventCodec.fingerprint(event.getClass()));
        assertThat(EventCodec.typeOf(bytes)).contains(event.getClass());
    }

    @Test
    void anUnknownFingerprintIsAnUnknownSchema() {
        byte[] bytes = EventCodec.encode(SampleEvents.full(DeviceEnrolled.class));
        byte[] forged = bytes.clone();
        forged[5] ^= 0x5A;

        UnknownEventException e = catchUnknown(forged);

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
        assertThat(e.fingerprint()).isPresent();
        assertThat(e.getMessage()).contains("fingerprint");
        assertThat(EventCodec.typeOf(forged)).isEmpty();
    }

    @Test
    void bytesWithoutTheSingleObjectMarkerAreNotAnEvent() {
        byte[] bytes = EventCodec.encode(SampleEvents.full(DeviceEnrolled.class));
        byte[] json = "{\"eventId\":\"x\", \"more\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] wrongVersion = bytes.clone();
        wrongVersion[1] = 0x02;

        assertThat(catchUnknown(json).reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT_ENCODED);
        assertThat(catchUnknown(wrongVersion).reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT_ENCODED);
        assertThat(catchUnknown(new byte[0]).reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT_ENCODED);
        assertThat(catchUnknown(null).reason()).isEqualTo(Reason.NOT_SINGLE_OBJECT_ENCODED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void everyTruncationOfAnEventIsAnUnknownEventNotACrash(SpecificRecord event) {
        byte[] bytes = EventCodec.encode(event);

        for (int length = 0; length < bytes.length; length++) {
            UnknownEventException e = catchUnknown(Arrays.copyOf(bytes, length));
            assertThat(e.reason())
                    .as("truncated to %d of %d bytes", length, bytes.length)
                    .isEqualTo(
                            length < EventCodec.HEADER_LENGTH
                                    ? Reason.NOT_SINGLE_OBJECT_ENCODED
                                    : Reason.MALFORMED_BODY);
        }
    }

    @Test
    void corruptBodiesDecodeOrFailWithAnUnknownEventOnly() {
        Random random = new Random(42);
        for (SpecificRecord event : SampleEvents.full()) {
            byte[] bytes = EventCodec.encode(event);
            for (int round = 0; round < 200; round++) {
                byte[] corrupt = bytes.clone();
                int at = EventCodec.HEADER_LENGTH + random.nextInt(bytes.length - EventCodec.HEADER_LENGTH);
                corrupt[at] = (byte) random.nextInt(256);
                Throwable thrown = catchThrowable(() -> EventCodec.decode(corrupt));
                assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t)
                        .isInstanceOf(UnknownEventException.class));
            }
        }
    }

    @Test
    void aHugeLengthInACorruptBodyIsRejectedWithoutAllocatingIt() {
        byte[] header = Arrays.copyOf(EventCodec.encode(SampleEvents.full(DeviceEnrolled.class)), 10);
        // eventId length as a zig-zag varint of about 2^30: a corrupt producer, not an allocation we should try.
        byte[] body = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 'a', 'b'};
        byte[] bytes = concat(header, body);

        assertThat(catchUnknown(bytes).reason()).isEqualTo(Reason.MALFORMED_BODY);
    }

    @Test
    void decodingAsTheWrongTypeSaysWhatTheBytesHold() {
        byte[] bytes = EventCodec.encode(SampleEvents.full(DeviceEnrolled.class));

        assertThatThrownBy(() -> EventCodec.decode(bytes, SignOutRequired.class))
                .isInstanceOfSatisfying(
                        UnknownEventException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_TYPE))
                .hasMessageContaining("SignOutRequired")
                .hasMessageContaining("DeviceEnrolled");
    }

    @Test
    void anEventIdThatIsNotAUuidIsRefusedWhenEncoding() {
        DeviceEnrolled event = DeviceEnrolled.newBuilder(SampleEvents.full(DeviceEnrolled.class))
                .setEventId("evt-1")
                .build();

        assertThatThrownBy(() -> EventCodec.encode(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DeviceEnrolled")
                .hasMessageContaining("evt-1");
    }

    @Test
    void anEventWithARequiredFieldUnsetIsRefusedWhenEncoding() {
        DeviceEnrolled event = new DeviceEnrolled();
        event.setEventId(Envelope.newEventId());

        assertThatThrownBy(() -> EventCodec.encode(event))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DeviceEnrolled");
    }

    @Test
    void aRecordOutsideTheCatalogueIsRefused() {
        SpecificRecord notAnEvent = dev.bulwark.events.RuleViolation.newBuilder()
                .setRule("r")
                .setExpected("e")
                .setActual("a")
                .build();

        assertThatThrownBy(() -> EventCodec.encode(notAnEvent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RuleViolation");
    }

    @Test
    void anEventWrittenWithAnEarlierSchemaIsReadIntoTheCurrentClass() throws Exception {
        // The release before: DeviceEnrolled had neither model nor ownership.
        Schema earlier = withoutFields(DeviceEnrolled.getClassSchema(), "model", "ownership");
        EventCodec.registerWriterSchema(DeviceEnrolled.class, earlier);
        GenericRecord old = new GenericData.Record(earlier);
        old.put("eventId", SampleEvents.id(900));
        old.put("occurredAt", SampleEvents.OCCURRED_AT.toEpochMilli());
        old.put("tenantId", "t");
        old.put("deviceId", "device-old");
        old.put("userId", "u");
        old.put(
                "platform",
                new GenericData.EnumSymbol(earlier.getField("platform").schema(), "ANDROID"));
        old.put("osVersion", "13");
        old.put("hardwareId", "SN-OLD");

        DeviceEnrolled decoded = EventCodec.decode(writeGeneric(earlier, old), DeviceEnrolled.class);

        assertThat(decoded.getDeviceId()).isEqualTo("device-old");
        assertThat(decoded.getOccurredAt()).isEqualTo(SampleEvents.OCCURRED_AT);
        assertThat(decoded.getModel()).isNull();
        assertThat(decoded.getOwnership()).isEqualTo(Ownership.UNKNOWN);
    }

    @Test
    void aPlatformAddedByANewerWriterIsReadAsUnknown() throws Exception {
        Schema current = DeviceStateReported.getClassSchema();
        String newer = current.toString()
                .replace(
                        "\"ANDROID\",\"IOS\",\"WINDOWS\",\"MACOS\"",
                        "\"ANDROID\",\"IOS\",\"WINDOWS\",\"MACOS\",\"LINUX\"");
        Schema newerSchema = new Schema.Parser().parse(newer);
        assertThat(newerSchema.getField("platform").schema().getEnumSymbols()).contains("LINUX");
        EventCodec.registerWriterSchema(DeviceStateReported.class, newerSchema);

        DeviceStateReported sample = SampleEvents.full(DeviceStateReported.class);
        GenericRecord record = (GenericRecord) GenericData.get().deepCopy(current, toGeneric(sample));
        GenericRecord asNewer = new GenericData.Record(newerSchema);
        newerSchema.getFields().forEach(f -> asNewer.put(f.name(), record.get(f.name())));
        asNewer.put(
                "platform",
                new GenericData.EnumSymbol(newerSchema.getField("platform").schema(), "LINUX"));

        DeviceStateReported decoded = EventCodec.decode(writeGeneric(newerSchema, asNewer), DeviceStateReported.class);

        assertThat(decoded.getPlatform()).isEqualTo(Platform.UNKNOWN);
        assertThat(decoded.getSubjectId()).isEqualTo(sample.getSubjectId());
    }

    private static GenericRecord toGeneric(SpecificRecord event) throws Exception {
        // Re-read the event's bytes generically, without logical-type conversions, as raw Avro values.
        Schema schema = event.getSchema();
        byte[] bytes = EventCodec.encode(event);
        org.apache.avro.message.BinaryMessageDecoder<GenericRecord> decoder =
                new org.apache.avro.message.BinaryMessageDecoder<>(GenericData.get(), schema);
        return decoder.decode(bytes);
    }

    private static byte[] writeGeneric(Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record, out);
        return out.toByteArray();
    }

    private static Schema withoutFields(Schema schema, String... removed) {
        java.util.List<Schema.Field> kept = schema.getFields().stream()
                .filter(f -> !Arrays.asList(removed).contains(f.name()))
                .map(f -> new Schema.Field(f, f.schema()))
                .collect(Collectors.toList());
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
    }

    private static UnknownEventException catchUnknown(byte[] bytes) {
        Throwable thrown = catchThrowable(() -> EventCodec.decode(bytes));
        assertThat(thrown).isInstanceOf(UnknownEventException.class);
        return (UnknownEventException) thrown;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
