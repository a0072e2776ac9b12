package dev.bulwark.kit.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.kit.problem.RefusedValueException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A NUL character is refused wherever it stands in a JSON body, and the refusal knows the field. */
class NulRefusingStringsTest {

    record Target(String groupId) {}

    record Request(String name, List<Target> targets, List<String> tags, Map<String, Object> settings) {}

    record Profile(String name, com.fasterxml.jackson.databind.node.ObjectNode settings) {}

    private final ObjectMapper mapper = new ObjectMapper();

    NulRefusingStringsTest() {
        new NulRefusingStrings().customize(mapper);
    }

    @Test
    void aNulInATopLevelStringNamesTheField() {
        assertThatThrownBy(() -> mapper.readValue("{\"name\":\"a\\u0000b\"}", Request.class))
                .isInstanceOf(RefusedValueException.class)
                .satisfies(e -> assertThat(path((RefusedValueException) e)).isEqualTo("name"));
    }

    @Test
    void aNulInsideAListItemNamesTheItem() {
        assertThatThrownBy(() -> mapper.readValue(
                        "{\"targets\":[{\"groupId\":\"g\"},{\"groupId\":\"\\u0000\"}]}", Request.class))
                .isInstanceOf(RefusedValueException.class)
                .satisfies(e -> assertThat(path((RefusedValueException) e)).isEqualTo("targets[1].groupId"));
        assertThatThrownBy(() -> mapper.readValue("{\"tags\":[\"ok\",\"\\u0000\"]}", Request.class))
                .isInstanceOf(RefusedValueException.class);
    }

    @Test
    void aNulInAFreeFormValueOrKeyIsRefusedToo() {
        assertThatThrownBy(() -> mapper.readValue("{\"settings\":{\"a\":{\"b\":\"\\u0000\"}}}", Request.class))
                .isInstanceOf(RefusedValueException.class);
        assertThatThrownBy(() -> mapper.readValue("{\"settings\":{\"a\\u0000\":1}}", Request.class))
                .isInstanceOf(RefusedValueException.class);
    }

    @Test
    void aNulInAJsonTreeFieldIsRefusedNamingWhereInsideIt() {
        assertThatThrownBy(() -> mapper.readValue(
                        "{\"settings\":{\"ssid\":\"ok\",\"servers\":[\"a\",\"b\\u0000\"]}}", Profile.class))
                .isInstanceOf(RefusedValueException.class)
                .satisfies(e -> assertThat(path((RefusedValueException) e)).isEqualTo("settings.servers[1]"));
        assertThatThrownBy(() -> mapper.readValue("{\"settings\":{\"k\\u0000\":1}}", Profile.class))
                .isInstanceOf(RefusedValueException.class)
                .satisfies(e -> assertThat(path((RefusedValueException) e)).isEqualTo("settings.k\u0000"));
    }

    @Test
    void jsonTreesWithoutNulReadAsBefore() throws Exception {
        Profile profile = mapper.readValue("{\"name\":\"n\",\"settings\":{\"ssid\":\"x\",\"n\":[1]}}", Profile.class);
        assertThat(profile.settings().path("ssid").asText()).isEqualTo("x");
        assertThat(mapper.readValue("{\"name\":\"n\",\"settings\":null}", Profile.class)
                        .settings())
                .isNull();
        assertThat(mapper.readTree("{\"a\":[\"b\"]}").path("a").get(0).asText()).isEqualTo("b");
    }

    @Test
    void ordinaryStringsAndNullsReadAsBefore() throws Exception {
        Request request = mapper.readValue(
                "{\"name\":\"Zoë \\t\",\"targets\":[{\"groupId\":null}],\"tags\":[\"x\"],\"settings\":{\"k\":\"v\"}}",
                Request.class);
        assertThat(request.name()).isEqualTo("Zoë \t");
        assertThat(request.targets().get(0).groupId()).isNull();
        assertThat(request.settings()).containsEntry("k", "v");
    }

    private static String path(RefusedValueException e) {
        StringBuilder field = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
