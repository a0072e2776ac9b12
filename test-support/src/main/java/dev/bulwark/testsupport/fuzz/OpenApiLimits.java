package dev.bulwark.testsupport.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input-limits contract, read from a service's OpenAPI document: every string and every array a request can carry
 * — body properties at any depth, path and query parameters — declares its maximum ({@code maxLength}, {@code
 * maxItems}). Enumerations and strings of a parsed format (date-time, date, time, uuid, duration) are bounded by what
 * they are. A free-form body property (any JSON) cannot declare the limits of what is inside it, so it is reported
 * too. Bodies that are not JSON (an NDJSON feed) are bounded by the HTTP layer and the service's own line limit.
 */
public final class OpenApiLimits {

    private static final Set<String> BOUNDED_FORMATS = Set.of("date-time", "date", "time", "uuid", "duration");

    private OpenApiLimits() {}

    /** Fetches the running service's document and fails, listing every unbounded input, if there is any. */
    public static void assertEveryInputBounded(URI baseUri) {
        List<String> unbounded = unbounded(OpenApiDocument.fetch(baseUri));
        if (!unbounded.isEmpty()) {
            throw new AssertionError("Request inputs without a documented maximum (" + unbounded.size() + "):\n  "
                    + String.join("\n  ", unbounded));
        }
    }

    /** One line per unbounded input: {@code POST /api/v1/apps body name: string without maxLength}. */
    public static List<String> unbounded(OpenApiDocument document) {
        List<String> unbounded = new ArrayList<>();
        for (ApiOperation operation : document.operations()) {
            for (ApiOperation.Parameter parameter : operation.parameters()) {
                check(
                        document,
                        document.view(parameter.schema()),
                        operation.key() + " " + parameter.in() + " " + parameter.name(),
                        new HashSet<>(),
                        unbounded);
            }
            operation
                    .body()
                    .filter(ApiOperation.RequestBody::isJson)
                    .ifPresent(body -> walkBody(
                            document,
                            document.view(body.schema()),
                            operation.key() + " body",
                            new HashSet<>(),
                            unbounded));
        }
        return unbounded;
    }

    private static void walkBody(
            OpenApiDocument document, SchemaView schema, String where, Set<String> seen, List<String> out) {
        if (schema.kind() == SchemaView.Kind.OBJECT) {
            for (Map.Entry<String, JsonNode> property : schema.properties().entrySet()) {
                SchemaView child = document.view(property.getValue());
                if (!child.readOnly()) {
                    check(document, child, where + " " + property.getKey(), seen, out);
                }
            }
        } else {
            check(document, schema, where, seen, out);
        }
    }

    private static void check(
            OpenApiDocument document, SchemaView schema, String where, Set<String> seen, List<String> out) {
        switch (schema.kind()) {
            case STRING -> {
                boolean bounded = schema.isEnum()
                        || BOUNDED_FORMATS.contains(schema.format().orElse(""))
                        || schema.maxLength().isPresent();
                if (!bounded) {
                    out.add(where + ": string without maxLength");
                }
            }
            case ARRAY -> {
                if (schema.maxItems().isEmpty()) {
                    out.add(where + ": array without maxItems");
                }
                check(document, document.view(schema.items()), where + "[]", seen, out);
            }
            case OBJECT -> {
                // A schema that contains itself is walked once on each path through it.
                String name = schema.refName().orElse(null);
                if (name != null && !seen.add(name)) {
                    return;
                }
                for (Map.Entry<String, JsonNode> property : schema.properties().entrySet()) {
                    SchemaView child = document.view(property.getValue());
                    if (!child.readOnly()) {
                        check(document, child, where + "." + property.getKey(), seen, out);
                    }
                }
                if (name != null) {
                    seen.remove(name);
                }
            }
            case FREE_FORM -> out.add(where + ": free-form JSON"
                    + schema.refName().map(n -> " (" + n + ")").orElse("")
                    + " declares no limits for the strings and arrays inside it");
            default -> {}
        }
    }
}
