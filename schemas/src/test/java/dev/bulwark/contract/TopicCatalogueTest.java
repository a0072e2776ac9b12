package dev.bulwark.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The catalogue, the published files and the generated classes tell the same story. */
class TopicCatalogueTest {

    private static final Map<String, Set<String>> KEY_FIELDS_BY_TOPIC = Map.of(
            Topics.DEVICES, Set.of("deviceId", "registrationId", "subjectId"),
            Topics.DIRECTORY, Set.of("userId", "memberId"),
            Topics.ASSIGNMENTS, Set.of("appId"),
            Topics.MDM_COMMANDS, Set.of("deviceId"),
            Topics.MAM_COMMANDS, Set.of("registrationId"),
            Topics.POLICIES, Set.of("policyId"),
            Topics.COMPLIANCE, Set.of("subjectId"),
            Topics.SIGNOUT, Set.of("userId"));

    @Test
    void everyPublishedRecordIsInTheCatalogueExactlyOnce() {
        List<String> catalogued =
                Topics.eventTypes().stream().map(Class::getSimpleName).collect(Collectors.toList());
        Set<String> files = PublishedSchemas.records().keySet();

        assertThat(catalogued).doesNotHaveDuplicates();
        assertThat(catalogued).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void everyFileHoldsTheRecordItIsNamedAfterInTheEventsNamespace() {
        PublishedSchemas.records().forEach((file, schema) -> {
            assertThat(schema.getType()).as(file).isEqualTo(Schema.Type.RECORD);
            assertThat(schema.getFullName()).as(file).isEqualTo("dev.bulwark.events." + file);
        });
    }

    @Test
    void thePublishedFilesAreTheSchemasOfTheGeneratedClasses() {
        Map<String, Schema> published = PublishedSchemas.records();
        for (Class<? extends SpecificRecord> type : Topics.eventTypes()) {
            Schema generated = SpecificData.get().getSchema(type);
            assertThat(generated.toString())
                    .as(type.getSimpleName())
                    .isEqualTo(withJavaStringHints(published.get(type.getSimpleName())));
        }
    }

    @Test
    void everyEventCarriesTheEnvelopeAndItsKey() {
        for (Schema schema : PublishedSchemas.records().values()) {
            String name = schema.getName();
            Schema eventId = schema.getField("eventId").schema();
            assertThat(eventId.getType()).as(name + ".eventId").isEqualTo(Schema.Type.STRING);
            assertThat(eventId.getLogicalType()).as(name + ".eventId").isEqualTo(LogicalTypes.uuid());
            Schema occurredAt = schema.getField("occurredAt").schema();
            assertThat(occurredAt.getType()).as(name + ".occurredAt").isEqualTo(Schema.Type.LONG);
            assertThat(occurredAt.getLogicalType()).as(name + ".occurredAt").isEqualTo(LogicalTypes.timestampMillis());
            assertThat(schema.getField("tenantId").schema().getType())
                    .as(name + ".tenantId")
                    .isEqualTo(Schema.Type.STRING);
            String key = Envelope.keyField(schema);
            assertThat(schema.getField(key)).as(name + " key field " + key).isNotNull();
            assertThat(schema.getField(key).schema().getType())
                    .as(name + " key field " + key)
                    .isEqualTo(Schema.Type.STRING);
        }
    }

    @Test
    void everyRecordIsKeyedAsItsTopicSays() {
        for (TopicSpec topic : Topics.catalogue()) {
            for (Class<? extends SpecificRecord> type : topic.recordTypes()) {
                String key = Envelope.keyField(SpecificData.get().getSchema(type));
                assertThat(KEY_FIELDS_BY_TOPIC.get(topic.name()))
                        .as("%s on %s is keyed by %s", type.getSimpleName(), topic.name(), key)
                        .contains(key);
            }
        }
    }

    @Test
    void commandsTravelOnTheirPathsCommandTopic() {
        for (Class<? extends SpecificRecord> type : Topics.eventTypes()) {
            String name = type.getSimpleName();
            if (name.startsWith("App") && name.endsWith("Requested") || name.startsWith("Managed")) {
                assertThat(Topics.topicOf(type).name()).as(name).isEqualTo(Topics.MDM_COMMANDS);
            }
            if (name.startsWith("Unmanaged")) {
                assertThat(Topics.topicOf(type).name()).as(name).isEqualTo(Topics.MAM_COMMANDS);
            }
        }
        assertThat(Topics.spec(Topics.MAM_COMMANDS).orElseThrow().recordTypes())
                .allSatisfy(type -> assertThat(type.getSimpleName()).startsWith("Unmanaged"));
    }

    @Test
    void everyEnumReadsUnknownSymbolsAsUnknown() {
        for (Schema schema : namedTypes()) {
            if (schema.getType() == Schema.Type.ENUM) {
                assertThat(schema.getEnumSymbols().get(0))
                        .as(schema.getName() + " first symbol")
                        .isEqualTo("UNKNOWN");
                assertThat(schema.getEnumDefault())
                        .as(schema.getName() + " default")
                        .isEqualTo("UNKNOWN");
            }
        }
    }

    @Test
    void everyRecordIsDocumented() {
        assertThat(PublishedSchemas.records().values())
                .allSatisfy(schema ->
                        assertThat(schema.getDoc()).as(schema.getName()).isNotBlank());
    }

    @Test
    void everyOptionalFieldDefaultsToNullSoItCanBeLeftOut() {
        for (Schema schema : namedTypes()) {
            if (schema.getType() != Schema.Type.RECORD) {
                continue;
            }
            for (Schema.Field field : schema.getFields()) {
                Schema type = field.schema();
                if (type.isUnion() && type.getTypes().get(0).getType() == Schema.Type.NULL) {
                    assertThat(field.hasDefaultValue())
                            .as(schema.getName() + "." + field.name())
                            .isTrue();
                }
            }
        }
    }

    private static List<Schema> namedTypes() {
        List<Schema> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        PublishedSchemas.records().values().forEach(s -> collect(s, found, seen));
        return found;
    }

    private static void collect(Schema schema, List<Schema> found, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema);
                    schema.getFields().forEach(f -> collect(f.schema(), found, seen));
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName())) {
                    found.add(schema);
                }
            }
            case ARRAY -> collect(schema.getElementType(), found, seen);
            case MAP -> collect(schema.getValueType(), found, seen);
            case UNION -> schema.getTypes().forEach(s -> collect(s, found, seen));
            default -> {}
        }
    }

    /** The generator marks strings with {@code "avro.java.string": "String"}; the rest must be identical. */
    private static String withJavaStringHints(Schema published) {
        Schema copy = new Schema.Parser().parse(published.toString());
        addStringHints(copy, new HashSet<>());
        return copy.toString();
    }

    private static void addStringHints(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case STRING -> {
                if (schema.getLogicalType() == null && schema.getProp("avro.java.string") == null) {
                    schema.addProp("avro.java.string", "String");
                }
            }
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    schema.getFields().forEach(f -> addStringHints(f.schema(), seen));
                }
            }
            case ARRAY -> addStringHints(schema.getElementType(), seen);
            case MAP -> addStringHints(schema.getValueType(), seen);
            case UNION -> schema.getTypes().forEach(s -> addStringHints(s, seen));
            default -> {}
        }
    }
}
