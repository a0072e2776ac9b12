package dev.bulwark.deploy.manifests;

import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers and booleans as JSON a person can read and diff: two-space indents, keys in the
 * maps' own order, and a map or list of plain values on one line when it is short (a panel's {@code gridPos}, a list
 * of tags). No JSON library is on the deploy module's runtime class path, and the output must be byte-stable for
 * {@code GeneratedFilesTest}, so the few rules are written out here.
 */
final class JsonText {

    /** Longest one-line form of a map or list of plain values; longer ones get a line per entry. */
    private static final int INLINE_LIMIT = 80;

    private JsonText() {}

    /** The value as a JSON document, ending with a newline. */
    static String of(Object value) {
        StringBuilder json = new StringBuilder();
        write(value, "", json);
        return json.append('\n').toString();
    }

    private static void write(Object value, String indent, StringBuilder json) {
        String inline = inline(value);
        if (inline != null) {
            json.append(inline);
        } else if (value instanceof Map<?, ?> map) {
            String inner = indent + "  ";
            json.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(inner).append(string(key(entry.getKey()))).append(": ");
                write(entry.getValue(), inner, json);
                json.append(++i < map.size() ? ",\n" : "\n");
            }
            json.append(indent).append('}');
        } else if (value instanceof List<?> list) {
            String inner = indent + "  ";
            json.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                json.append(inner);
                write(list.get(i), inner, json);
                json.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            json.append(indent).append(']');
        } else {
            throw new IllegalArgumentException("cannot be written as JSON: " + value.getClass());
        }
    }

    /** The one-line form of a scalar, an empty container or a short container of scalars; null otherwise. */
    private static String inline(Object value) {
        String scalar = scalar(value);
        if (scalar != null) {
            return scalar;
        }
        StringBuilder line = new StringBuilder();
        if (value instanceof Map<?, ?> map) {
            line.append('{');
            int i = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String item = scalar(entry.getValue());
                if (item == null) {
                    return null;
                }
                line.append(i++ == 0 ? "" : ", ")
                        .append(string(key(entry.getKey())))
                        .append(": ")
                        .append(item);
            }
            line.append('}');
        } else if (value instanceof List<?> list) {
            line.append('[');
            for (int i = 0; i < list.size(); i++) {
                String item = scalar(list.get(i));
                if (item == null) {
                    return null;
                }
                line.append(i == 0 ? "" : ", ").append(item);
            }
            line.append(']');
        } else {
            return null;
        }
        return line.length() <= INLINE_LIMIT ? line.toString() : null;
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return string(text);
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof Double number) {
            if (number.isNaN() || number.isInfinite()) {
                throw new IllegalArgumentException("JSON has no " + number);
            }
            return number == Math.rint(number) && Math.abs(number) < 1e15
                    ? Long.toString(number.longValue())
                    : number.toString();
        }
        return null;
    }

    private static String key(Object key) {
        if (!(key instanceof String text)) {
            throw new IllegalArgumentException("JSON keys are strings, not " + key);
        }
        return text;
    }

    private static String string(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
