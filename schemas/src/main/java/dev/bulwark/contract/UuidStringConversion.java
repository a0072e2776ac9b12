package dev.bulwark.contract;

import java.util.regex.Pattern;
import org.apache.avro.Conversion;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Maps the Avro {@code uuid} logical type to a plain {@link String} in the generated classes, so {@code eventId} is
 * a {@code String} as the contract says. Avro 1.12 would otherwise generate {@code java.util.UUID}.
 *
 * <p>The avro-maven-plugin loads this class while generating sources (see the pom: it is compiled before the schemas
 * are), and the generated classes use it at run time. Writing checks the value is a UUID, so a malformed event id
 * never reaches a topic; reading accepts whatever a producer wrote, because a reader must never choke on data.
 */
public final class UuidStringConversion extends Conversion<String> {

    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Override
    public Class<String> getConvertedType() {
        return String.class;
    }

    @Override
    public String getLogicalTypeName() {
        return "uuid";
    }

    @Override
    public Schema getRecommendedSchema() {
        Schema schema = Schema.create(Schema.Type.STRING);
        return LogicalTypes.uuid().addToSchema(schema);
    }

    @Override
    public String fromCharSequence(CharSequence value, Schema schema, LogicalType type) {
        return value.toString();
    }

    @Override
    public CharSequence toCharSequence(String value, Schema schema, LogicalType type) {
        if (!CANONICAL_UUID.matcher(value).matches()) {
            throw new IllegalArgumentException("not a UUID: '" + value + "' (use Envelope.newEventId())");
        }
        return value;
    }
}
