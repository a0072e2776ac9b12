package dev.bulwark.signoutbridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;

/**
 * Reads SignOutRequired records the way any outside consumer can: the published {@code .avsc} files (bundled from
 * {@code schemas/} at build time, the current ones and the last released ones) and Avro's generic single-object
 * decoder, which finds the writer schema by the fingerprint after the {@code C3 01} marker. No generated class and no
 * code of the services.
 *
 * <p>Thread-safe once built.
 */
public final class SignOutRecords {

    private static final String[] TYPES = {
        "ChangeKind", "ConfigurationProfileType", "ManagementType", "Ownership", "Platform", "RuleViolation", "Target"
    };

    private final BinaryMessageDecoder<GenericRecord> decoder;

    private SignOutRecords(Schema current, List<Schema> older) {
        decoder = new BinaryMessageDecoder<>(GenericData.get(), current);
        older.forEach(decoder::addSchema);
    }

    /** A reader of the schemas bundled in this module's jar (current, and the last release's when it differs). */
    public static SignOutRecords published() {
        Schema current = parse("bulwark-avro/current");
        List<Schema> older = new ArrayList<>();
        Schema baseline = parse("bulwark-avro/baseline");
        if (!baseline.equals(current)) {
            older.add(baseline);
        }
        return new SignOutRecords(current, older);
    }

    /**
     * The sign-out a record's value carries.
     *
     * @throws UnreadableRecordException when the bytes are not a SignOutRequired this bridge can read
     */
    public SignOut read(byte[] value) throws UnreadableRecordException {
        if (value == null || value.length == 0) {
            throw new UnreadableRecordException("empty value");
        }
        GenericRecord record;
        try {
            record = decoder.decode(value);
        } catch (BadHeaderException e) {
            throw new UnreadableRecordException("not Avro single-object encoding: " + e.getMessage(), e);
        } catch (MissingSchemaException e) {
            throw new UnreadableRecordException(
                    "written with a schema this bridge does not know (" + e.getMessage() + ")", e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new UnreadableRecordException("not a readable SignOutRequired: " + e, e);
        }
        try {
            List<String> apps = new ArrayList<>();
            for (Object app : (List<?>) record.get("appIds")) {
                apps.add(app.toString());
            }
            return new SignOut(
                    text(record, "eventId"),
                    Instant.ofEpochMilli((Long) record.get("occurredAt")),
                    text(record, "tenantId"),
                    text(record, "userId"),
                    apps,
                    text(record, "reason"));
        } catch (RuntimeException e) {
            throw new UnreadableRecordException("a SignOutRequired without its required fields: " + e, e);
        }
    }

    private static String text(GenericRecord record, String field) {
        Object value = record.get(field);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(field + " is empty");
        }
        return value.toString();
    }

    private static Schema parse(String folder) {
        Schema.Parser parser = new Schema.Parser();
        for (String type : TYPES) {
            String path = folder + "/types/" + type + ".avsc";
            if (SignOutRecords.class.getClassLoader().getResource(path) != null) {
                parse(parser, path);
            }
        }
        return parse(parser, folder + "/SignOutRequired.avsc");
    }

    private static Schema parse(Schema.Parser parser, String path) {
        try (InputStream in = SignOutRecords.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not bundled in this jar");
            }
            return parser.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
