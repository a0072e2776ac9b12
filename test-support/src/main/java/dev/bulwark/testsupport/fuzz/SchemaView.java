package dev.bulwark.testsupport.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One schema of an OpenAPI document as the fuzzer and the limits check need it: its kind, whether null is allowed, and
 * its constraints, with {@code $ref}, {@code allOf}/{@code anyOf}/{@code oneOf} and 3.0/3.1 nullability already
 * resolved by {@link OpenApiDocument#view}. {@code node} is the merged schema object the constraints are read from.
 */
public record SchemaView(Kind kind, boolean nullable, JsonNode node, Optional<String> refName) {

    /** What a value of the schema is on the wire. FREE_FORM: any JSON (Jackson's JsonNode, an untyped map). */
    public enum Kind {
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN,
        ARRAY,
        OBJECT,
        FREE_FORM
    }

    public Optional<Integer> maxLength() {
        return intConstraint("maxLength");
    }

    public Optional<Integer> minLength() {
        return intConstraint("minLength");
    }

    public Optional<Integer> maxItems() {
        return intConstraint("maxItems");
    }

    public Optional<Integer> minItems() {
        return intConstraint("minItems");
    }

    public Optional<String> pattern() {
        return text("pattern");
    }

    public Optional<String> format() {
        return text("format");
    }

    public boolean uniqueItems() {
        return node.path("uniqueItems").asBoolean(false);
    }

    public boolean readOnly() {
        return node.path("readOnly").asBoolean(false);
    }

    /** The allowed values of an enumerated string (empty when the schema is not an enum). */
    public List<String> enumValues() {
        List<String> values = new ArrayList<>();
        node.path("enum").forEach(v -> {
            if (!v.isNull()) {
                values.add(v.asText());
            }
        });
        return values;
    }

    public boolean isEnum() {
        return !enumValues().isEmpty();
    }

    public Optional<BigDecimal> minimum() {
        return number("minimum");
    }

    public Optional<BigDecimal> maximum() {
        return number("maximum");
    }

    /** The first example the schema gives, if any ({@code example} of 3.0 or {@code examples} of 3.1). */
    public Optional<JsonNode> example() {
        if (node.has("example")) {
            return Optional.of(node.get("example"));
        }
        JsonNode examples = node.path("examples");
        if (examples.isArray() && !examples.isEmpty()) {
            return Optional.of(examples.get(0));
        }
        return Optional.empty();
    }

    /** An object's properties, in the document's order (raw schemas; view each with the document). */
    public Map<String, JsonNode> properties() {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        node.path("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue()));
        return properties;
    }

    public Set<String> required() {
        Set<String> required = new LinkedHashSet<>();
        node.path("required").forEach(r -> required.add(r.asText()));
        return required;
    }

    /** An array's item schema (raw), or an empty schema when the document gives none. */
    public JsonNode items() {
        return node.path("items");
    }

    private Optional<Integer> intConstraint(String name) {
        JsonNode value = node.get(name);
        return value != null && value.isNumber() ? Optional.of(value.intValue()) : Optional.empty();
    }

    private Optional<String> text(String name) {
        JsonNode value = node.get(name);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private Optional<BigDecimal> number(String name) {
        JsonNode value = node.get(name);
        return value != null && value.isNumber() ? Optional.of(value.decimalValue()) : Optional.empty();
    }
}
