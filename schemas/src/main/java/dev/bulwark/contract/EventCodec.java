package dev.bulwark.contract;

import dev.bulwark.contract.UnknownEventException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes events to, and decodes them from, Avro single-object encoding: {@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body. Any Avro library can read these bytes with
 * the published {@code .avsc} files and no schema registry.
 *
 * <p>The codec knows every event type of {@link Topics#catalogue()} by the fingerprint of its current schema and, so a
 * consumer upgraded before its producers keeps working, by the fingerprint of its last released schema (the
 * compatibility baseline shipped in this jar); events written with either are read into the current class.
 *
 * <p>Thread-safe; all state is built once.
 */
public final class EventCodec {

    /** Marker (2 bytes) plus fingerprint (8 bytes) that precede every body. */
    public static final int HEADER_LENGTH = 10;

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final String BASELINE = "compat-baseline/";
    private static final System.Logger LOG = System.getLogger(EventCodec.class.getName());

    private static final Map<Class<?>, TypeCodec<?>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<Long, TypeCodec<?>> BY_FINGERPRINT = new ConcurrentHashMap<>();

    static {
        for (Class<? extends SpecificRecord> type : Topics.eventTypes()) {
            TypeCodec<?> codec = TypeCodec.of(type);
            BY_TYPE.put(type, codec);
            BY_FINGERPRINT.put(codec.fingerprint, codec);
        }
        registerBaselineSchemas();
    }

    private EventCodec() {}

    /**
     * The single-object encoding of an event.
     *
     * @throws IllegalArgumentException if the event is not a type of the catalogue, or cannot be written (a required
     *     field is null, an eventId is not a UUID)
     */
    public static byte[] encode(SpecificRecord event) {
        Objects.requireNonNull(event, "event");
        TypeCodec<?> codec = BY_TYPE.get(event.getClass());
        if (codec == null) {
            throw new IllegalArgumentException(
                    event.getClass().getName() + " is not an event of the contract (not in Topics.catalogue())");
        }
        return codec.encode(event);
    }

    /**
     * Decodes an event of any type of the catalogue, found by the fingerprint in its header.
     *
     * @throws UnknownEventException if the bytes are not single-object encoded, the fingerprint is unknown or the body
     *     is malformed
     */
    public static SpecificRecord decode(byte[] bytes) {
        long fingerprint = readFingerprint(bytes);
        TypeCodec<?> codec = BY_FINGERPRINT.get(fingerprint);
        if (codec == null) {
            throw new UnknownEventException(
                    Reason.UNKNOWN_SCHEMA,
                    "no event type has writer-schema fingerprint " + hex(fingerprint),
                    fingerprint,
                    null);
        }
        return codec.decode(bytes, fingerprint);
    }

    /**
     * Decodes an event that must be of the given type.
     *
     * @throws UnknownEventException as {@link #decode(byte[])}, or with {@link Reason#UNEXPECTED_TYPE} if the bytes
     *     hold another event type
     */
    public static <T extends SpecificRecord> T decode(byte[] bytes, Class<T> type) {
        Objects.requireNonNull(type, "type");
        SpecificRecord event = decode(bytes);
        if (!type.isInstance(event)) {
            throw new UnknownEventException(
                    Reason.UNEXPECTED_TYPE,
                    "expected " + type.getSimpleName() + " but the bytes hold "
                            + event.getClass().getSimpleName(),
                    readFingerprint(bytes),
                    null);
        }
        return type.cast(event);
    }

    /** The event type the bytes hold, read from the header only; empty if unknown or not single-object encoded. */
    public static Optional<Class<? extends SpecificRecord>> typeOf(byte[] bytes) {
        try {
            return Optional.ofNullable(BY_FINGERPRINT.get(readFingerprint(bytes)))
                    .map(codec -> codec.type);
        } catch (UnknownEventException e) {
            return Optional.empty();
        }
    }

    /**
     * The CRC-64-AVRO fingerprint of the current schema of an event type, as written in its header.
     *
     * @throws IllegalArgumentException if the type is not in the catalogue
     */
    public static long fingerprint(Class<? extends SpecificRecord> type) {
        TypeCodec<?> codec = BY_TYPE.get(type);
        if (codec == null) {
            throw new IllegalArgumentException(type.getName() + " is not an event of the contract");
        }
        return codec.fingerprint;
    }

    /**
     * Teaches the codec an earlier writer schema of a type, so events written with it are read into the current
     * class. The schema must be compatible (the build checks it for the baseline).
     */
    static void registerWriterSchema(Class<? extends SpecificRecord> type, Schema writerSchema) {
        TypeCodec<?> codec = BY_TYPE.get(type);
        if (codec == null) {
            throw new IllegalArgumentException(type.getName() + " is not an event of the contract");
        }
        long fingerprint = SchemaNormalization.parsingFingerprint64(writerSchema);
        TypeCodec<?> known = BY_FINGERPRINT.get(fingerprint);
        if (known != null && known != codec) {
            throw new IllegalArgumentException(
                    "fingerprint " + hex(fingerprint) + " already belongs to " + known.type.getSimpleName());
        }
        codec.decoder.addSchema(writerSchema);
        BY_FINGERPRINT.put(fingerprint, codec);
    }

    private static long readFingerprint(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_LENGTH) {
            throw new UnknownEventException(
                    Reason.NOT_SINGLE_OBJECT_ENCODED,
                    "not an event: " + (bytes == null ? "null" : bytes.length + " bytes") + ", need at least "
                            + HEADER_LENGTH,
                    null,
                    null);
        }
        if (bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new UnknownEventException(
                    Reason.NOT_SINGLE_OBJECT_ENCODED,
                    String.format("not an event: marker is %02X %02X, expected C3 01", bytes[0], bytes[1]),
                    null,
                    null);
        }
        long fingerprint = 0;
        for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFFL);
        }
        return fingerprint;
    }

    private static String hex(long fingerprint) {
        return String.format("%016X", fingerprint);
    }

    /**
     * Loads the last released schemas shipped in this jar and registers those that differ from the current ones. A
     * broken baseline must not stop a service from reading current events, so failures are only logged.
     */
    private static void registerBaselineSchemas() {
        ClassLoader loader = EventCodec.class.getClassLoader();
        try {
            Schema.Parser parser = new Schema.Parser();
            for (String typeName : namedTypesOfCurrentSchemas()) {
                try (InputStream in = loader.getResourceAsStream(BASELINE + "types/" + typeName + ".avsc")) {
                    if (in != null) {
                        parser.parse(in);
                    }
                }
            }
            for (TypeCodec<?> codec : List.copyOf(BY_TYPE.values())) {
                try (InputStream in = loader.getResourceAsStream(BASELINE + codec.type.getSimpleName() + ".avsc")) {
                    if (in == null) {
                        continue; // a type added since the last release has no earlier schema
                    }
                    Schema earlier = parser.parse(in);
                    if (SchemaNormalization.parsingFingerprint64(earlier) != codec.fingerprint) {
                        registerWriterSchema(codec.type, earlier);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Could not load the baseline schemas; events written by the previous release will not decode",
                    e);
        }
    }

    private static List<String> namedTypesOfCurrentSchemas() {
        Map<String, Schema> named = new LinkedHashMap<>();
        for (TypeCodec<?> codec : BY_TYPE.values()) {
            collectNamedTypes(codec.schema, named);
        }
        List<String> names = new ArrayList<>();
        for (Schema schema : named.values()) {
            if (!BY_TYPE.keySet().stream().anyMatch(t -> t.getName().equals(schema.getFullName()))) {
                names.add(schema.getName());
            }
        }
        return names;
    }

    private static void collectNamedTypes(Schema schema, Map<String, Schema> into) {
        switch (schema.getType()) {
            case RECORD -> {
                if (into.putIfAbsent(schema.getFullName(), schema) == null) {
                    schema.getFields().forEach(f -> collectNamedTypes(f.schema(), into));
                }
            }
            case ENUM, FIXED -> into.putIfAbsent(schema.getFullName(), schema);
            case ARRAY -> collectNamedTypes(schema.getElementType(), into);
            case MAP -> collectNamedTypes(schema.getValueType(), into);
            case UNION -> schema.getTypes().forEach(s -> collectNamedTypes(s, into));
            default -> {}
        }
    }

    /** Encoder and decoder of one event type, bound to a model built on the type's own class loader. */
    private static final class TypeCodec<T extends SpecificRecord> {
        final Class<T> type;
        final Schema schema;
        final long fingerprint;
        final BinaryMessageEncoder<T> encoder;
        final BinaryMessageDecoder<T> decoder;

        private TypeCodec(Class<T> type) {
            this.type = type;
            // Built on the record class's own loader: inside Quarkus (dev mode, tests) the default SpecificData
            // resolves classes through Avro's loader and returns instances of a second copy of the class.
            SpecificData model = new SpecificData(type.getClassLoader());
            SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
            model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
            model.addLogicalTypeConversion(new UuidStringConversion());
            this.schema = model.getSchema(type);
            this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
            this.encoder = new BinaryMessageEncoder<>(model, schema);
            this.decoder = new BinaryMessageDecoder<>(model, schema);
        }

        static <T extends SpecificRecord> TypeCodec<T> of(Class<T> type) {
            return new TypeCodec<>(type);
        }

        byte[] encode(SpecificRecord event) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            try {
                encoder.encode(type.cast(event), out);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
            }
            return out.toByteArray();
        }

        T decode(byte[] bytes, long fingerprint) {
            try {
                return decoder.decode(bytes);
            } catch (IOException | RuntimeException e) {
                // Avro reports a truncated or corrupt body with assorted exceptions (EOF, negative lengths,
                // index out of bounds); to a consumer they all mean the same poison message.
                throw new UnknownEventException(
                        Reason.MALFORMED_BODY,
                        "malformed " + type.getSimpleName() + " body (" + bytes.length + " bytes): " + e,
                        fingerprint,
                        e);
            }
        }
    }
}
