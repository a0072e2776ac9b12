package dev.bulwark.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes what the topics carry the way a consumer outside Bulwark would: with nothing but the published
 * {@code .avsc} files and a generic Avro reader, no generated classes and no schema registry.
 */
class OutsideConsumerContractTest {

    private static Map<String, Schema> published;

    @BeforeAll
    static void readThePublishedSchemas() {
        published = PublishedSchemas.records();
    }

    static Stream<SpecificRecord> everyEvent() {
        return Stream.concat(SampleEvents.full().stream(), SampleEvents.minimal().stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void theHeaderIsTheMarkerAndTheFingerprintOfThePublishedSchema(SpecificRecord event) {
        Schema schema = publishedSchemaOf(event);

        byte[] bytes = EventCodec.encode(event);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(schema));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void aGenericMessageDecoderReadsEveryFieldWithThePublishedSchemaOnly(SpecificRecord event) throws Exception {
        Schema schema = publishedSchemaOf(event);
        BinaryMessageDecoder<GenericRecord> decoder = new BinaryMessageDecoder<>(GenericData.get(), schema);

        GenericRecord record = decoder.decode(EventCodec.encode(event));

        assertThat(plain(record)).isEqualTo(plain(event));
        assertThat(record.get("eventId").toString()).isEqualTo(Envelope.eventId(event));
        assertThat(record.get("occurredAt"))
                .isEqualTo(Envelope.occurredAt(event).toEpochMilli());
        assertThat(record.get("tenantId").toString()).isEqualTo(Envelope.tenantId(event));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void theBodyAfterTheTenByteHeaderIsPlainAvroBinary(SpecificRecord event) throws Exception {
        Schema schema = publishedSchemaOf(event);
        byte[] bytes = EventCodec.encode(event);

        GenericRecord record = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 10, bytes.length - 10, null));

        assertThat(plain(record)).isEqualTo(plain(event));
    }

    private static Schema publishedSchemaOf(SpecificRecord event) {
        Schema schema = published.get(event.getSchema().getName());
        assertThat(schema)
                .as("a published .avsc for %s", event.getSchema().getName())
                .isNotNull();
        return schema;
    }

    /**
     * Both sides as plain values: records as maps by field name, text as String, enums by symbol, timestamps as epoch
     * milliseconds (what a generic reader without logical-type conversions sees).
     */
    private static Object plain(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof IndexedRecord record) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                fields.put(field.name(), plain(record.get(field.pos())));
            }
            return fields;
        }
        if (value instanceof Collection<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
            return value.toString();
        }
        if (value instanceof Enum<?> symbol) {
            return symbol.name();
        }
        return value;
    }
}
