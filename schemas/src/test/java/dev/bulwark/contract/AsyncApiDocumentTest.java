package dev.bulwark.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** asyncapi.yaml describes exactly the topics, partitions and records of the catalogue, with the published files. */
class AsyncApiDocumentTest {

    private static Map<String, Object> document;

    @BeforeAll
    static void readTheDocument() throws Exception {
        try (Reader reader = Files.newBufferedReader(Path.of("asyncapi.yaml"))) {
            document = new Yaml().load(reader);
        }
    }

    @Test
    void itIsAnAsyncApi3Document() {
        assertThat(document.get("asyncapi")).isEqualTo("3.0.0");
    }

    @Test
    void everyTopicOfTheCatalogueIsAChannelWithItsPartitionsAndRecords() {
        Map<String, Object> channels = map(document, "channels");
        assertThat(channels).hasSameSizeAs(Topics.catalogue());
        for (TopicSpec topic : Topics.catalogue()) {
            Map<String, Object> channel = channels.values().stream()
                    .map(AsyncApiDocumentTest::asMap)
                    .filter(c -> topic.name().equals(c.get("address")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no channel with address " + topic.name()));
            assertThat(map(map(channel, "bindings"), "kafka").get("partitions"))
                    .as(topic.name())
                    .isEqualTo(topic.partitions());
            assertThat(map(channel, "messages").keySet())
                    .as(topic.name())
                    .containsExactlyInAnyOrderElementsOf(topic.recordTypes().stream()
                            .map(Class::getSimpleName)
                            .toList());
        }
    }

    @Test
    void everyMessageReferencesItsPublishedAvroSchema() {
        Map<String, Object> messages = map(map(document, "components"), "messages");
        assertThat(messages.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        Topics.eventTypes().stream().map(Class::getSimpleName).toList());
        for (Class<? extends SpecificRecord> type : Topics.eventTypes()) {
            Map<String, Object> payload = map(map(messages, type.getSimpleName()), "payload");
            assertThat(payload.get("schemaFormat")).isEqualTo("application/vnd.apache.avro+json;version=1.9.0");
            String ref = (String) map(payload, "schema").get("$ref");
            assertThat(ref).isEqualTo("./src/main/avro/" + type.getSimpleName() + ".avsc");
            assertThat(Path.of(ref)).isRegularFile();
        }
    }

    @Test
    void everyChannelHasASendOperation() {
        Map<String, Object> operations = map(document, "operations");
        List<String> channelRefs = operations.values().stream()
                .map(AsyncApiDocumentTest::asMap)
                .peek(op -> assertThat(op.get("action")).isEqualTo("send"))
                .map(op -> (String) map(op, "channel").get("$ref"))
                .toList();
        assertThat(channelRefs)
                .containsExactlyInAnyOrderElementsOf(map(document, "channels").keySet().stream()
                        .map(id -> "#/channels/" + id)
                        .toList());
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return asMap(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
