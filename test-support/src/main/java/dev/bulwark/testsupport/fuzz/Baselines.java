package dev.bulwark.testsupport.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Builds valid values from schemas: the baseline each mutation breaks in exactly one place. A value honours the
 * schema's enum, format, pattern, length, range and item counts; a name the target knows (an id the test seeded) wins
 * where it fits the schema.
 */
final class Baselines {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 8;
    static final String NOT_BLANK = "\\S";

    /** Tried in order against a pattern; the first one it matches whole is the baseline. */
    private static final List<String> PATTERN_CANDIDATES = List.of(
            "fuzz-1",
            "fuzz1",
            "FUZZ_1",
            "FUZZ",
            "1.0.0",
            "1.0",
            "1",
            "fuzz@example.com",
            "https://example.com/fuzz",
            "a",
            "A");

    private final OpenApiDocument document;
    private final Map<String, String> values;
    private final Random random;

    Baselines(OpenApiDocument document, Map<String, String> values, long seed) {
        this.document = document;
        this.values = values;
        this.random = new Random(seed);
    }

    /** A valid value of {@code schema} for a field called {@code name}. */
    JsonNode value(SchemaView schema, String name) {
        return value(schema, name, 0);
    }

    private JsonNode value(SchemaView schema, String name, int depth) {
        return switch (schema.kind()) {
            case STRING -> NODES.textNode(string(schema, name));
            case INTEGER -> NODES.numberNode(number(schema).toBigInteger());
            case NUMBER -> NODES.numberNode(number(schema));
            case BOOLEAN -> NODES.booleanNode(true);
            case ARRAY -> array(schema, name, depth);
            case OBJECT -> object(schema, depth);
            case FREE_FORM -> NODES.objectNode();
        };
    }

    /** A valid string for the schema, or empty if none of the candidates fits its pattern. */
    String string(SchemaView schema, String name) {
        if (schema.isEnum()) {
            String hint = values.get(name);
            return schema.enumValues().contains(hint)
                    ? hint
                    : schema.enumValues().get(0);
        }
        String hint = values.get(name);
        if (hint != null && fits(schema, hint)) {
            return hint;
        }
        Optional<JsonNode> example = schema.example();
        if (example.isPresent()
                && example.get().isTextual()
                && fits(schema, example.get().asText())) {
            return example.get().asText();
        }
        Optional<String> formatted =
                switch (schema.format().orElse("")) {
                    case "date-time" -> Optional.of("2026-12-04T12:00:00Z");
                    case "date" -> Optional.of("2026-12-04");
                    case "time" -> Optional.of("12:00:00");
                    case "uuid" -> Optional.of(new UUID(random.nextLong(), random.nextLong()).toString());
                    case "duration" -> Optional.of("PT1H");
                    case "email" -> Optional.of("fuzz@example.com");
                    case "uri", "url" -> Optional.of("https://example.com/fuzz");
                    default -> Optional.empty();
                };
        if (formatted.isPresent()) {
            return formatted.get();
        }
        for (String candidate : PATTERN_CANDIDATES) {
            if (fits(schema, candidate)) {
                return candidate;
            }
        }
        int min = schema.minLength().orElse(1);
        return "f".repeat(Math.max(min, 1));
    }

    /** Whether a string satisfies the schema's pattern and lengths. */
    static boolean fits(SchemaView schema, String value) {
        if (schema.maxLength().isPresent()
                && value.length() > schema.maxLength().get()) {
            return false;
        }
        if (schema.minLength().isPresent()
                && value.length() < schema.minLength().get()) {
            return false;
        }
        return schema.pattern().map(p -> matchesPattern(p, value)).orElse(true);
    }

    /**
     * SmallRye renders {@code @NotBlank} as the pattern {@code \S}, meaning "has a character that is not blank"; every
     * other pattern comes from {@code @Pattern}, which Bean Validation matches against the whole value.
     */
    static boolean matchesPattern(String pattern, String value) {
        Pattern compiled = Pattern.compile(pattern);
        return NOT_BLANK.equals(pattern)
                ? compiled.matcher(value).find()
                : compiled.matcher(value).matches();
    }

    private static BigDecimal number(SchemaView schema) {
        BigDecimal value = schema.minimum()
                .orElse(schema.maximum()
                        .filter(max -> max.compareTo(BigDecimal.ONE) < 0)
                        .orElse(BigDecimal.ONE));
        return schema.maximum().map(value::min).orElse(value);
    }

    private ArrayNode array(SchemaView schema, String name, int depth) {
        ArrayNode array = NODES.arrayNode();
        if (depth >= MAX_DEPTH) {
            return array;
        }
        SchemaView items = document.view(schema.items());
        int count = Math.max(1, schema.minItems().orElse(0));
        for (int i = 0; i < count; i++) {
            JsonNode item = value(items, singular(name), depth + 1);
            if (i > 0 && item.isTextual() && !items.isEnum()) {
                item = NODES.textNode(item.asText() + i);
            }
            array.add(item);
        }
        return array;
    }

    private ObjectNode object(SchemaView schema, int depth) {
        ObjectNode object = NODES.objectNode();
        if (depth >= MAX_DEPTH) {
            return object;
        }
        schema.properties().forEach((property, raw) -> {
            SchemaView view = document.view(raw);
            if (!view.readOnly()) {
                object.set(property, value(view, property, depth + 1));
            }
        });
        return object;
    }

    /** {@code appIds} → {@code appId}: an array's items take the hint of their singular name. */
    static String singular(String name) {
        return name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    }
}
