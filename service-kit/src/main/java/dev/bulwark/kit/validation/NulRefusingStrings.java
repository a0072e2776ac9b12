package dev.bulwark.kit.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.kit.problem.RefusedValueException;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses a NUL character ({@code \u0000}) in any string of any JSON body, and in map keys, while the body is read.
 * PostgreSQL cannot store 0x00 in text, so such a value would otherwise fail at the database as a 500 (or a 400 that
 * cannot name the field); here Jackson names the field it was found in.
 */
@Singleton
public class NulRefusingStrings implements ObjectMapperCustomizer {

    public static final String MESSAGE = "must not contain a NUL character (\\u0000)";

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("bulwark-nul-refusing-strings");
        module.addDeserializer(String.class, new Strings());
        module.addKeyDeserializer(String.class, new Keys());
        // A field typed as a JSON tree (a policy's settings) is read without the String deserializer above.
        module.addDeserializer(JsonNode.class, new Trees<>(JsonNode.class));
        module.addDeserializer(ObjectNode.class, new Trees<>(ObjectNode.class));
        module.addDeserializer(ArrayNode.class, new Trees<>(ArrayNode.class));
        mapper.registerModule(module);
    }

    /** True when the value holds a NUL character. */
    public static boolean hasNul(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '\u0000') {
                return true;
            }
        }
        return false;
    }

    private static final class Strings extends StdScalarDeserializer<String> {

        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && hasNul(value)) {
                throw new RefusedValueException(parser, MESSAGE);
            }
            return value;
        }
    }

    /** Reads a JSON tree as Jackson does, then refuses it if a text value or a key holds a NUL, naming where. */
    private static final class Trees<T extends JsonNode> extends StdDeserializer<T> {

        private final JsonDeserializer<? extends JsonNode> standard;

        Trees(Class<T> type) {
            super(type);
            this.standard = JsonNodeDeserializer.getDeserializer(type);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = standard.deserialize(parser, context);
            Deque<Object> where = new ArrayDeque<>();
            if (holdsNul(tree, where)) {
                RefusedValueException refused = new RefusedValueException(parser, MESSAGE);
                // Innermost first: the path Jackson adds as the exception leaves the enclosing objects goes before.
                Iterator<Object> inward = where.descendingIterator();
                while (inward.hasNext()) {
                    Object step = inward.next();
                    refused.prependPath(
                            step instanceof Integer index
                                    ? new JsonMappingException.Reference(null, index)
                                    : new JsonMappingException.Reference(null, (String) step));
                }
                throw refused;
            }
            return (T) tree;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T getNullValue(DeserializationContext context) throws JsonMappingException {
            // A JSON null in a JsonNode field stays a NullNode, as with Jackson's own deserializer.
            return (T) standard.getNullValue(context);
        }

        /** Whether the tree holds a NUL; {@code where} is left holding the path to it, outermost first. */
        private static boolean holdsNul(JsonNode node, Deque<Object> where) {
            if (node.isTextual()) {
                return hasNul(node.textValue());
            }
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    where.addLast(field.getKey());
                    if (hasNul(field.getKey()) || holdsNul(field.getValue(), where)) {
                        return true;
                    }
                    where.removeLast();
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    where.addLast(i);
                    if (holdsNul(node.get(i), where)) {
                        return true;
                    }
                    where.removeLast();
                }
            }
            return false;
        }
    }

    private static final class Keys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (hasNul(key)) {
                throw new RefusedValueException(context.getParser(), "keys " + MESSAGE);
            }
            return key;
        }
    }
}
