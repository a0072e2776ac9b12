package dev.bulwark.testsupport.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one operation of the document into invalid requests, one broken thing each: the path ids, the query
 * parameters, the body as a whole, and every field of the body (nested objects and array items too), each against a
 * baseline that is valid. Pure: it sends nothing.
 */
final class Mutations {

    static final int UNBOUNDED_STRING = 100_000;
    static final int UNBOUNDED_ARRAY = 1_000;
    /** Long enough for any sane id limit, short enough that the request line stays under the HTTP layer's 4 KiB. */
    static final int LONG_PARAMETER = 3_000;

    static final int REQUEST_LINE_TOO_LONG = 10_000;
    /** Over Quarkus' default body limit (10 MiB). */
    static final int TOO_LARGE_BODY = 10 * 1024 * 1024 + 1024;

    static final String UNKNOWN_FIELD = "fuzzUnknownField";
    private static final String UNKNOWN_ENUM = "FUZZ_NOT_A_VALUE";
    private static final List<String> ROLE_PREFERENCE = List.of("admin", "user", "device", "service");
    private static final List<String> PATTERN_BREAKERS = List.of(" ", "\t", "<>", "fuzz fuzz", "é");
    private static final Set<String> PARSED_FORMATS = Set.of("date-time", "date", "time", "uuid", "duration");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final OpenApiDocument document;
    private final FuzzTarget target;
    private final Baselines baselines;
    private final List<ApiOperation> allOperations;
    private boolean largeBodyPlanned;

    Mutations(OpenApiDocument document, FuzzTarget target, List<ApiOperation> allOperations) {
        this.document = document;
        this.target = target;
        this.baselines = new Baselines(document, target.values, target.seed);
        this.allOperations = allOperations;
    }

    /** Every mutation of one operation, in a fixed order. */
    List<Mutation> of(ApiOperation operation) {
        Plan plan = plan(operation);
        List<Mutation> mutations = new ArrayList<>();
        pathMutations(plan, mutations);
        queryMutations(plan, mutations);
        plan.body.ifPresent(body -> bodyMutations(plan, body, mutations));
        return mutations;
    }

    /** The token role an operation is called with: the target's choice, else the first of admin, user, device. */
    String roleFor(ApiOperation operation) {
        String chosen = target.roles.get(operation.key());
        if (chosen != null) {
            return chosen;
        }
        return ROLE_PREFERENCE.stream()
                .filter(operation.roles()::contains)
                .findFirst()
                .orElse(operation.roles().isEmpty() ? "" : operation.roles().get(0));
    }

    // ---- the valid request each mutation starts from

    /** The valid request: encoded path values, query values, the body's schema and value. */
    private record Plan(
            ApiOperation operation,
            Map<String, String> path,
            Map<String, String> query,
            Optional<BodyPlan> body,
            Map<String, String> headers) {}

    private record BodyPlan(String mediaType, SchemaView schema, JsonNode value, boolean required, boolean json) {}

    private Plan plan(ApiOperation operation) {
        Map<String, String> path = new LinkedHashMap<>();
        for (ApiOperation.Parameter parameter : operation.pathParameters()) {
            path.put(parameter.name(), encode(valueOf(operation, parameter)));
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (ApiOperation.Parameter parameter : operation.queryParameters()) {
            if (parameter.required()) {
                query.put(parameter.name(), encode(valueOf(operation, parameter)));
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (operation.secured()) {
            headers.put("Authorization", "Bearer " + target.token(roleFor(operation)));
        }
        Optional<BodyPlan> body = operation.body().map(requestBody -> bodyPlan(operation, requestBody));
        return new Plan(operation, path, query, body, headers);
    }

    private String valueOf(ApiOperation operation, ApiOperation.Parameter parameter) {
        String specific = target.values.get(operation.key() + "#" + parameter.name());
        if (specific != null) {
            return specific;
        }
        SchemaView schema = document.view(parameter.schema());
        if (schema.kind() == SchemaView.Kind.STRING || schema.kind() == SchemaView.Kind.FREE_FORM) {
            return baselines.string(
                    schema.kind() == SchemaView.Kind.STRING ? schema : stringSchema(), parameter.name());
        }
        return target.values.getOrDefault(
                parameter.name(), baselines.value(schema, parameter.name()).asText());
    }

    private BodyPlan bodyPlan(ApiOperation operation, ApiOperation.RequestBody requestBody) {
        String override = target.bodies.get(operation.key());
        if (!requestBody.isJson()) {
            // Not JSON (e.g. an NDJSON feed): its example line is the baseline, and its fields are fuzzed as the
            // example shows them, since the document describes the body only as text.
            JsonNode example =
                    override != null ? read(override) : requestBody.example().orElse(NODES.objectNode());
            return new BodyPlan(requestBody.mediaType(), inferred(example), example, requestBody.required(), false);
        }
        SchemaView schema = document.view(requestBody.schema());
        JsonNode value;
        if (override != null) {
            value = read(override);
        } else if (requestBody.example().isPresent()) {
            value = requestBody.example().get();
        } else {
            value = baselines.value(schema, "body");
        }
        return new BodyPlan(requestBody.mediaType(), schema, value, requestBody.required(), true);
    }

    /** A schema that says what the example shows: field names and JSON types, no constraints. */
    private SchemaView inferred(JsonNode example) {
        return document.view(inferredSchema(example));
    }

    private static JsonNode inferredSchema(JsonNode example) {
        ObjectNode schema = NODES.objectNode();
        switch (example.getNodeType()) {
            case OBJECT -> {
                schema.put("type", "object");
                ObjectNode properties = schema.putObject("properties");
                example.properties().forEach(e -> properties.set(e.getKey(), inferredSchema(e.getValue())));
            }
            case ARRAY -> {
                schema.put("type", "array");
                schema.set("items", example.isEmpty() ? NODES.objectNode() : inferredSchema(example.get(0)));
            }
            case STRING -> schema.put("type", "string");
            case NUMBER -> schema.put("type", example.isIntegralNumber() ? "integer" : "number");
            case BOOLEAN -> schema.put("type", "boolean");
            default -> {}
        }
        return schema;
    }

    // ---- path ids

    private void pathMutations(Plan plan, List<Mutation> out) {
        for (ApiOperation.Parameter parameter : plan.operation.pathParameters()) {
            SchemaView schema = document.view(parameter.schema());
            int longId = schema.maxLength().map(max -> max + 1).orElse(LONG_PARAMETER);
            Map<MutationKind, String> values = new LinkedHashMap<>();
            values.put(MutationKind.PATH_LONG_ID, "a".repeat(longId));
            values.put(MutationKind.PATH_REQUEST_LINE_TOO_LONG, "a".repeat(REQUEST_LINE_TOO_LONG));
            values.put(MutationKind.PATH_NUL, "fuzz%00id");
            values.put(MutationKind.PATH_BAD_PERCENT, "fuzz%zzid");
            values.put(MutationKind.PATH_BAD_UTF8, "%C0%AF%FF");
            values.put(MutationKind.PATH_DOT_DOT, "..");
            values.put(MutationKind.PATH_ENCODED_TRAVERSAL, "..%2F..%2F..%2Fq%2Fopenapi");
            values.forEach((kind, raw) -> {
                Map<String, String> path = new LinkedHashMap<>(plan.path);
                path.put(parameter.name(), raw);
                if (kind == MutationKind.PATH_DOT_DOT && resolvesElsewhere(plan.operation, path)) {
                    return; // the server normalises it to another operation's path: a valid request, not a broken one
                }
                out.add(new Mutation(
                        plan.operation,
                        kind,
                        parameter.name(),
                        request(plan, path, plan.query, plan.body.map(this::validBody))));
            });
        }
    }

    private boolean resolvesElsewhere(ApiOperation operation, Map<String, String> path) {
        String normalised = URI.create("http://fuzz" + fill(operation.path(), path))
                .normalize()
                .getRawPath();
        // The server routes /apps/x/ as /apps/x.
        String withoutSlash = normalised.length() > 1 && normalised.endsWith("/")
                ? normalised.substring(0, normalised.length() - 1)
                : normalised;
        return allOperations.stream()
                .anyMatch(other -> other.method().equals(operation.method()) && other.matches(withoutSlash));
    }

    // ---- query parameters

    private void queryMutations(Plan plan, List<Mutation> out) {
        for (ApiOperation.Parameter parameter : plan.operation.queryParameters()) {
            SchemaView schema = document.view(parameter.schema());
            Map<MutationKind, List<String>> values = new LinkedHashMap<>();
            switch (schema.kind()) {
                case INTEGER, NUMBER -> {
                    values.put(MutationKind.QUERY_WRONG_TYPE, List.of("fuzz"));
                    List<String> outOfRange = new ArrayList<>();
                    schema.minimum()
                            .ifPresent(min ->
                                    outOfRange.add(min.subtract(BigDecimal.ONE).toPlainString()));
                    schema.maximum()
                            .ifPresent(max ->
                                    outOfRange.add(max.add(BigDecimal.ONE).toPlainString()));
                    outOfRange.add("100000000000000000000");
                    values.put(MutationKind.QUERY_OUT_OF_RANGE, outOfRange);
                }
                case BOOLEAN -> values.put(MutationKind.QUERY_WRONG_TYPE, List.of("fuzz"));
                default -> {
                    if (schema.isEnum()) {
                        values.put(MutationKind.QUERY_UNKNOWN_ENUM, List.of(UNKNOWN_ENUM));
                    } else {
                        values.put(MutationKind.QUERY_NUL, List.of("fuzz%00"));
                        values.put(
                                MutationKind.QUERY_OVERSIZE,
                                List.of("a"
                                        .repeat(schema.maxLength()
                                                .map(max -> max + 1)
                                                .orElse(LONG_PARAMETER))));
                        values.put(MutationKind.QUERY_BAD_PERCENT, List.of("fuzz%zz"));
                    }
                }
            }
            values.forEach((kind, list) -> list.forEach(raw -> {
                Map<String, String> query = new LinkedHashMap<>(plan.query);
                query.put(parameter.name(), raw);
                out.add(new Mutation(
                        plan.operation,
                        kind,
                        parameter.name(),
                        request(plan, plan.path, query, plan.body.map(this::validBody))));
            }));
            if (parameter.required()) {
                Map<String, String> query = new LinkedHashMap<>(plan.query);
                query.remove(parameter.name());
                out.add(new Mutation(
                        plan.operation,
                        MutationKind.QUERY_MISSING_REQUIRED,
                        parameter.name(),
                        request(plan, plan.path, query, plan.body.map(this::validBody))));
            }
        }
    }

    // ---- the body as a whole

    private void bodyMutations(Plan plan, BodyPlan body, List<Mutation> out) {
        String valid = serialise(body, body.value);
        Map<MutationKind, BodyBytes> whole = new LinkedHashMap<>();
        String cut = valid.substring(0, Math.max(1, valid.length() / 2));
        whole.put(MutationKind.MALFORMED_JSON, new BodyBytes(body.mediaType, cut.endsWith("\n") ? cut.trim() : cut));
        if (body.required && body.json) {
            whole.put(MutationKind.EMPTY_BODY, new BodyBytes(body.mediaType, ""));
        }
        if (body.schema.kind() == SchemaView.Kind.OBJECT || body.schema.kind() == SchemaView.Kind.ARRAY) {
            JsonNode wrongRoot = body.schema.kind() == SchemaView.Kind.OBJECT ? NODES.arrayNode() : NODES.objectNode();
            whole.put(MutationKind.WRONG_ROOT_TYPE, new BodyBytes(body.mediaType, serialise(body, wrongRoot)));
        }
        whole.put(
                MutationKind.DEEP_NESTING,
                new BodyBytes(body.mediaType, "[".repeat(5_000) + "]".repeat(5_000) + (body.json ? "" : "\n")));
        whole.put(MutationKind.WRONG_CONTENT_TYPE, new BodyBytes("text/plain", valid));
        if (!largeBodyPlanned) {
            // One is enough: the limit is the HTTP layer's, the same for every route of the service.
            largeBodyPlanned = true;
            whole.put(MutationKind.BODY_TOO_LARGE, new BodyBytes(body.mediaType, null));
        }
        whole.forEach((kind, bytes) -> out.add(
                new Mutation(plan.operation, kind, "body", request(plan, plan.path, plan.query, Optional.of(bytes)))));
        fieldMutations(plan, body, body.schema, body.value, new ArrayList<>(), true, out);
    }

    // ---- every field

    /**
     * {@code closed}: the schema names every field the object may have, so an unknown one is invalid. Inside a
     * free-form value it is not known to be.
     */
    private void fieldMutations(
            Plan plan,
            BodyPlan body,
            SchemaView schema,
            JsonNode value,
            List<Object> path,
            boolean closed,
            List<Mutation> out) {
        if (schema.kind() == SchemaView.Kind.FREE_FORM
                && !path.isEmpty()
                && value != null
                && (value.isObject() || value.isArray())
                && !value.isEmpty()) {
            // The document says nothing of what is inside (a policy's settings); the valid body the test gave
            // does: its fields are fuzzed as they are shown, like an NDJSON line.
            fieldMutations(plan, body, inferred(value), value, path, false, out);
            return;
        }
        if (schema.kind() == SchemaView.Kind.OBJECT && value != null && value.isObject()) {
            Set<String> required = schema.required();
            for (Map.Entry<String, JsonNode> property : schema.properties().entrySet()) {
                SchemaView child = document.view(property.getValue());
                if (child.readOnly()) {
                    continue;
                }
                List<Object> childPath = append(path, property.getKey());
                JsonNode childValue = value.get(property.getKey());
                boolean isRequired = required.contains(property.getKey());
                valueMutations(plan, body, child, childValue, childPath, isRequired, out);
                if (isRequired && childValue != null) {
                    out.add(mutation(plan, body, MutationKind.MISSING_REQUIRED, childPath, null));
                }
                fieldMutations(plan, body, child, childValue, childPath, closed, out);
            }
            if (closed) {
                out.add(mutation(
                        plan, body, MutationKind.UNKNOWN_FIELD, append(path, UNKNOWN_FIELD), NODES.textNode("fuzz")));
            }
        } else if (schema.kind() == SchemaView.Kind.ARRAY && value != null && value.isArray() && !value.isEmpty()) {
            SchemaView items = document.view(schema.items());
            List<Object> itemPath = append(path, 0);
            valueMutations(plan, body, items, value.get(0), itemPath, true, out);
            fieldMutations(plan, body, items, value.get(0), itemPath, closed, out);
        }
    }

    /** The mutations of one value in place: wrong type, null, and what its kind's constraints forbid. */
    private void valueMutations(
            Plan plan,
            BodyPlan body,
            SchemaView schema,
            JsonNode current,
            List<Object> path,
            boolean nullForbidden,
            List<Mutation> out) {
        if (nullForbidden && !schema.nullable()) {
            out.add(mutation(plan, body, MutationKind.NULL_NOT_ALLOWED, path, NODES.nullNode()));
        }
        switch (schema.kind()) {
            case STRING -> stringMutations(plan, body, schema, current, path, out);
            case INTEGER, NUMBER -> {
                out.add(mutation(plan, body, MutationKind.WRONG_TYPE, path, NODES.textNode("fuzz")));
                schema.minimum()
                        .ifPresent(min -> out.add(mutation(
                                plan,
                                body,
                                MutationKind.BELOW_MINIMUM,
                                path,
                                NODES.numberNode(min.subtract(BigDecimal.ONE)))));
                schema.maximum()
                        .ifPresent(max -> out.add(mutation(
                                plan,
                                body,
                                MutationKind.ABOVE_MAXIMUM,
                                path,
                                NODES.numberNode(max.add(BigDecimal.ONE)))));
                if (schema.kind() == SchemaView.Kind.INTEGER) {
                    out.add(mutation(
                            plan,
                            body,
                            MutationKind.NUMBER_OVERFLOW,
                            path,
                            NODES.numberNode(new BigInteger("100000000000000000000"))));
                }
            }
            case BOOLEAN -> out.add(mutation(plan, body, MutationKind.WRONG_TYPE, path, NODES.textNode("fuzz")));
            case ARRAY -> {
                out.add(mutation(plan, body, MutationKind.WRONG_TYPE, path, NODES.textNode("fuzz")));
                oversizeArray(schema, current)
                        .ifPresent(array -> out.add(mutation(plan, body, MutationKind.OVERSIZE_ARRAY, path, array)));
            }
            case OBJECT -> out.add(mutation(plan, body, MutationKind.WRONG_TYPE, path, NODES.booleanNode(true)));
            case FREE_FORM -> {} // any JSON is a value of it
        }
    }

    private void stringMutations(
            Plan plan, BodyPlan body, SchemaView schema, JsonNode current, List<Object> path, List<Mutation> out) {
        ObjectNode wrong = NODES.objectNode();
        wrong.put("fuzz", 1);
        out.add(mutation(plan, body, MutationKind.WRONG_TYPE, path, wrong));
        if (schema.isEnum()) {
            out.add(mutation(plan, body, MutationKind.UNKNOWN_ENUM, path, NODES.textNode(UNKNOWN_ENUM)));
            return;
        }
        String valid = current != null && current.isTextual()
                ? current.asText()
                : baselines.string(schema, String.valueOf(path.get(path.size() - 1)));
        String withNul = valid.isEmpty() ? "\u0000" : valid.charAt(0) + "\u0000" + valid.substring(1);
        if (schema.maxLength().isPresent()
                && withNul.length() > schema.maxLength().get()) {
            withNul = withNul.substring(0, Math.max(2, schema.maxLength().get()));
        }
        out.add(mutation(plan, body, MutationKind.NUL_IN_STRING, path, NODES.textNode(withNul)));
        int oversize = schema.maxLength().map(max -> max + 1).orElse(UNBOUNDED_STRING);
        char filler = valid.isEmpty() ? 'a' : valid.charAt(0);
        out.add(mutation(
                plan,
                body,
                MutationKind.OVERSIZE_STRING,
                path,
                NODES.textNode(String.valueOf(filler).repeat(oversize))));
        schema.pattern().ifPresent(pattern -> PATTERN_BREAKERS.stream()
                .filter(candidate -> !Baselines.matchesPattern(pattern, candidate))
                .findFirst()
                .ifPresent(breaker ->
                        out.add(mutation(plan, body, MutationKind.PATTERN_MISMATCH, path, NODES.textNode(breaker)))));
        if (schema.pattern().isEmpty()
                && PARSED_FORMATS.contains(schema.format().orElse(""))) {
            out.add(mutation(
                    plan,
                    body,
                    MutationKind.PATTERN_MISMATCH,
                    path,
                    NODES.textNode("not-a-" + schema.format().get())));
        }
    }

    /** maxItems + 1 (or 1,000) distinct items, where distinct items of that many exist. */
    private Optional<JsonNode> oversizeArray(SchemaView schema, JsonNode current) {
        int size = schema.maxItems().map(max -> max + 1).orElse(UNBOUNDED_ARRAY);
        SchemaView items = document.view(schema.items());
        JsonNode template = current != null && current.isArray() && !current.isEmpty()
                ? current.get(0)
                : baselines.value(items, "item");
        ArrayNode array = NODES.arrayNode();
        if (items.isEnum()) {
            List<String> values = items.enumValues();
            if (values.size() < size) {
                // A set of enums cannot hold more than the enum has; a list of them could, but that is not sure to
                // be refused, so this array is not invalid by construction.
                return Optional.empty();
            }
            values.stream().limit(size).forEach(array::add);
            return Optional.of(array);
        }
        for (int i = 0; i < size; i++) {
            array.add(distinct(template, i));
        }
        return Optional.of(array);
    }

    /** The i-th variant of a value: its first string (at any depth) gets a number appended. */
    private static JsonNode distinct(JsonNode template, int i) {
        if (template.isTextual()) {
            return NODES.textNode(template.asText() + i);
        }
        if (template.isIntegralNumber()) {
            return NODES.numberNode(template.bigIntegerValue().add(BigInteger.valueOf(i)));
        }
        if (template.isObject()) {
            ObjectNode copy = template.deepCopy();
            for (Map.Entry<String, JsonNode> field : template.properties()) {
                JsonNode value = field.getValue();
                if (value.isTextual() && !value.asText().equals(value.asText().toUpperCase())) {
                    copy.put(field.getKey(), value.asText() + i);
                    return copy;
                }
            }
            return copy;
        }
        return template.deepCopy();
    }

    // ---- building requests

    private Mutation mutation(Plan plan, BodyPlan body, MutationKind kind, List<Object> path, JsonNode replacement) {
        JsonNode mutated = body.value.deepCopy();
        if (path.isEmpty()) {
            mutated = replacement;
        } else {
            mutated = replace(mutated, path, replacement);
        }
        return new Mutation(
                plan.operation,
                kind,
                fieldName(path),
                request(
                        plan,
                        plan.path,
                        plan.query,
                        Optional.of(new BodyBytes(body.mediaType, serialise(body, mutated)))));
    }

    /** Sets (or, for a null replacement, removes) the value at {@code path}, creating the last level if missing. */
    private static JsonNode replace(JsonNode root, List<Object> path, JsonNode replacement) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof Integer index ? parent.get(index) : parent.get((String) step);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer index) {
            ArrayNode array = (ArrayNode) parent;
            if (replacement == null) {
                array.remove(index.intValue());
            } else {
                array.set(index, replacement);
            }
        } else {
            ObjectNode object = (ObjectNode) parent;
            if (replacement == null) {
                object.remove((String) last);
            } else {
                object.set((String) last, replacement);
            }
        }
        return root;
    }

    /** {@code [targets, 0, groupId]} → {@code targets[0].groupId}. */
    static String fieldName(List<Object> path) {
        StringBuilder name = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer index) {
                name.append('[').append(index).append(']');
            } else {
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(step);
            }
        }
        return name.isEmpty() ? "body" : name.toString();
    }

    private record BodyBytes(String contentType, String text) {}

    private BodyBytes validBody(BodyPlan body) {
        return new BodyBytes(body.mediaType, serialise(body, body.value));
    }

    private SocketHttp.Request request(
            Plan plan, Map<String, String> path, Map<String, String> query, Optional<BodyBytes> body) {
        StringBuilder targetLine = new StringBuilder(fill(plan.operation.path(), path));
        String separator = "?";
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            targetLine.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
            separator = "&";
        }
        Map<String, String> headers = new LinkedHashMap<>(plan.headers);
        byte[] bytes = new byte[0];
        if (body.isPresent()) {
            headers.put("Content-Type", body.get().contentType());
            bytes = body.get().text() == null ? tooLarge() : body.get().text().getBytes(StandardCharsets.UTF_8);
        }
        return new SocketHttp.Request(plan.operation.method(), targetLine.toString(), headers, bytes);
    }

    private static byte[] tooLarge() {
        byte[] bytes = new byte[TOO_LARGE_BODY];
        java.util.Arrays.fill(bytes, (byte) ' ');
        bytes[0] = '[';
        bytes[bytes.length - 1] = ']';
        return bytes;
    }

    private static String fill(String template, Map<String, String> values) {
        String path = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return path;
    }

    private static String serialise(BodyPlan body, JsonNode value) {
        try {
            String text = OpenApiDocument.JSON.writeValueAsString(value);
            return body.json ? text : text + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return OpenApiDocument.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not JSON: " + json, e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return longer;
    }

    private static SchemaView stringSchema() {
        return new SchemaView(SchemaView.Kind.STRING, false, NODES.objectNode(), Optional.empty());
    }

    /** The distinct field names a mutation list touches (for the unit tests). */
    static Set<String> fields(List<Mutation> mutations) {
        Set<String> fields = new LinkedHashSet<>();
        mutations.forEach(m -> fields.add(m.field()));
        return fields;
    }
}
