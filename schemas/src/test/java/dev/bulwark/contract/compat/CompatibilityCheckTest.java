package dev.bulwark.contract.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.contract.compat.CompatibilityCheck.Kind;
import dev.bulwark.contract.compat.CompatibilityCheck.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the check behind {@link SchemaCompatibilityTest} catches the breaking changes it exists for. */
class CompatibilityCheckTest {

    private static final String ENVELOPE =
            """
            {"name": "eventId", "type": {"type": "string", "logicalType": "uuid"}},
            {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
            {"name": "tenantId", "type": "string"},
            {"name": "deviceId", "type": "string"}""";

    private static final String STATUS_V1 =
            """
            {"name": "status", "type": {"type": "enum", "name": "Status",
               "symbols": ["UNKNOWN", "ACTIVE", "RETIRED"], "default": "UNKNOWN"}}""";

    private static final String RELEASED = record(STATUS_V1, "{\"name\": \"model\", \"type\": \"string\"}");

    @Test
    void anUnchangedSchemaIsCompatible() {
        assertThat(compare(RELEASED, RELEASED)).isEmpty();
    }

    @Test
    void anOptionalFieldWithADefaultMayBeAdded() {
        String current = record(
                STATUS_V1,
                "{\"name\": \"model\", \"type\": \"string\"}",
                "{\"name\": \"serial\", \"type\": [\"null\", \"string\"], \"default\": null}");

        assertThat(compare(RELEASED, current)).isEmpty();
    }

    @Test
    void anEnumSymbolMayBeAddedWhenTheEnumHasADefault() {
        String current = record(
                """
                {"name": "status", "type": {"type": "enum", "name": "Status",
                   "symbols": ["UNKNOWN", "ACTIVE", "RETIRED", "LOST"], "default": "UNKNOWN"}}""",
                "{\"name\": \"model\", \"type\": \"string\"}");

        assertThat(compare(RELEASED, current)).isEmpty();
    }

    @Test
    void aNewFieldWithoutADefaultIsCaught() {
        String current = record(
                STATUS_V1,
                "{\"name\": \"model\", \"type\": \"string\"}",
                "{\"name\": \"serial\", \"type\": \"string\"}");

        List<Problem> problems = compare(RELEASED, current);

        // The new reader cannot fill serial from events written before it existed.
        assertThat(problems).extracting(Problem::kind).containsExactly(Kind.BACKWARD);
        assertThat(problems.get(0).detail()).contains("serial");
    }

    @Test
    void aRemovedFieldWithoutADefaultIsCaught() {
        String current = record(STATUS_V1);

        List<Problem> problems = compare(RELEASED, current);

        // A consumer still on the release expects model and finds none.
        assertThat(problems).extracting(Problem::kind).containsExactly(Kind.FORWARD);
        assertThat(problems.get(0).detail()).contains("model");
    }

    @Test
    void aRenamedFieldIsCaughtBothWays() {
        String current = record(STATUS_V1, "{\"name\": \"deviceModel\", \"type\": \"string\"}");

        assertThat(compare(RELEASED, current))
                .extracting(Problem::kind)
                .containsExactlyInAnyOrder(Kind.BACKWARD, Kind.FORWARD);
    }

    @Test
    void aRemovedEnumSymbolIsCaughtWhenTheEnumHasNoDefault() {
        String released = record(
                """
                {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["ACTIVE", "RETIRED"]}}""");
        String current = record(
                """
                {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["ACTIVE"]}}""");

        List<Problem> problems = compare(released, current);

        // Events that say RETIRED cannot be read by the new schema.
        assertThat(problems).extracting(Problem::kind).containsExactly(Kind.BACKWARD);
        assertThat(problems.get(0).detail()).contains("RETIRED");
    }

    @Test
    void aChangedFieldTypeIsCaught() {
        String current = record(STATUS_V1, "{\"name\": \"model\", \"type\": \"int\"}");

        assertThat(compare(RELEASED, current)).isNotEmpty();
    }

    @Test
    void aDeletedRecordIsCaught() {
        Map<String, Schema> baseline = Map.of("dev.bulwark.events.Probe", parse(RELEASED));

        List<Problem> problems = CompatibilityCheck.compare(baseline, Map.of());

        assertThat(problems).extracting(Problem::kind).containsExactly(Kind.DELETED);
        assertThat(problems.get(0).record()).isEqualTo("dev.bulwark.events.Probe");
    }

    @Test
    void foldersAreReadSharedTypesFirstAndComparedFileByFile(@TempDir Path tmp) throws Exception {
        Path released = write(tmp.resolve("released"), "{\"name\": \"status\", \"type\": \"Status\"}", STATUS_TYPE_V1);
        Path current = write(
                tmp.resolve("current"),
                "{\"name\": \"status\", \"type\": \"Status\"}",
                """
                {"type": "enum", "name": "Status", "namespace": "dev.bulwark.events",
                 "symbols": ["ACTIVE", "RETIRED"]}""");

        List<Problem> problems = CompatibilityCheck.compare(released, current);

        // The shared enum lost its UNKNOWN symbol and default: old events saying UNKNOWN no longer read.
        assertThat(problems).extracting(Problem::kind).contains(Kind.BACKWARD);
        assertThat(CompatibilityCheck.compare(released, released)).isEmpty();
    }

    private static final String STATUS_TYPE_V1 =
            """
            {"type": "enum", "name": "Status", "namespace": "dev.bulwark.events",
             "symbols": ["UNKNOWN", "ACTIVE", "RETIRED"], "default": "UNKNOWN"}""";

    private static Path write(Path folder, String field, String sharedType) throws Exception {
        Files.createDirectories(folder.resolve("types"));
        Files.writeString(folder.resolve("types/Status.avsc"), sharedType);
        Files.writeString(folder.resolve("Probe.avsc"), record(field));
        return folder;
    }

    private static List<Problem> compare(String released, String current) {
        return CompatibilityCheck.compare(
                Map.of("dev.bulwark.events.Probe", parse(released)),
                Map.of("dev.bulwark.events.Probe", parse(current)));
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    private static String record(String... fields) {
        return "{\"type\": \"record\", \"name\": \"Probe\", \"namespace\": \"dev.bulwark.events\", \"fields\": ["
                + ENVELOPE + (fields.length == 0 ? "" : ",\n" + String.join(",\n", fields)) + "]}";
    }
}
