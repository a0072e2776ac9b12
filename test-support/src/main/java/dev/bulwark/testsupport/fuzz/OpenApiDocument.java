package dev.bulwark.testsupport.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A service's OpenAPI document (3.0 or 3.1, JSON), read with plain Jackson: lists every operation and resolves schemas
 * into {@link SchemaView}s. It is what makes the fuzzer and the limits check cover a new endpoint without being told.
 */
public final class OpenApiDocument {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Schemas that SmallRye derives from Jackson's tree types by their getters; on the wire they are any JSON. */
    private static final Set<String> FREE_FORM_SCHEMAS = Set.of("JsonNode", "ObjectNode", "ArrayNode");

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    public static OpenApiDocument parse(String json) {
        try {
            return new OpenApiDocument(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("The OpenAPI document is not JSON", e);
        }
    }

    /** Fetches {@code /q/openapi?format=json} from a running service. */
    public static OpenApiDocument fetch(URI base) {
        SocketHttp.Response response =
                SocketHttp.send(base, new SocketHttp.Request("GET", "/q/openapi?format=json", Map.of(), new byte[0]));
        if (response.status() != 200) {
            throw new IllegalStateException("GET /q/openapi?format=json answered " + response.status());
        }
        return parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    public JsonNode root() {
        return root;
    }

    /** Every operation, sorted by path and method so that a run is the same each time. */
    public List<ApiOperation> operations() {
        List<ApiOperation> operations = new ArrayList<>();
        root.path("paths").properties().forEach(path -> {
            JsonNode item = path.getValue();
            List<ApiOperation.Parameter> shared = parameters(item.path("parameters"));
            for (String method : METHODS) {
                JsonNode operation = item.get(method);
                if (operation != null) {
                    operations.add(operation(method.toUpperCase(Locale.ROOT), path.getKey(), shared, operation));
                }
            }
        });
        operations.sort(Comparator.comparing(ApiOperation::path).thenComparing(ApiOperation::method));
        return operations;
    }

    private ApiOperation operation(
            String method, String path, List<ApiOperation.Parameter> shared, JsonNode operation) {
        List<ApiOperation.Parameter> parameters = new ArrayList<>(shared);
        for (ApiOperation.Parameter own : parameters(operation.path("parameters"))) {
            parameters.removeIf(p -> p.name().equals(own.name()) && p.in().equals(own.in()));
            parameters.add(own);
        }
        Optional<ApiOperation.RequestBody> body = Optional.empty();
        JsonNode requestBody = deref(operation.path("requestBody"));
        Iterator<Map.Entry<String, JsonNode>> content =
                requestBody.path("content").properties().iterator();
        if (content.hasNext()) {
            Map.Entry<String, JsonNode> first = content.next();
            JsonNode media = first.getValue();
            Optional<JsonNode> example = Optional.ofNullable(media.get("example"));
            if (example.isEmpty() && media.path("examples").isObject()) {
                Iterator<JsonNode> examples = media.path("examples").elements();
                if (examples.hasNext()) {
                    example = Optional.ofNullable(examples.next().get("value"));
                }
            }
            body = Optional.of(new ApiOperation.RequestBody(
                    first.getKey(),
                    media.path("schema"),
                    requestBody.path("required").asBoolean(false),
                    example));
        }
        List<String> roles = new ArrayList<>();
        JsonNode security = operation.has("security") ? operation.get("security") : root.path("security");
        security.forEach(requirement ->
                requirement.properties().forEach(scheme -> scheme.getValue().forEach(r -> roles.add(r.asText()))));
        return new ApiOperation(method, path, List.copyOf(parameters), body, List.copyOf(roles));
    }

    private List<ApiOperation.Parameter> parameters(JsonNode list) {
        List<ApiOperation.Parameter> parameters = new ArrayList<>();
        for (JsonNode raw : list) {
            JsonNode parameter = deref(raw);
            String in = parameter.path("in").asText();
            if (!in.equals("path") && !in.equals("query")) {
                continue; // headers and cookies are the gateway's and the client library's business
            }
            parameters.add(new ApiOperation.Parameter(
                    parameter.path("name").asText(),
                    in,
                    parameter.path("required").asBoolean(in.equals("path")),
                    parameter.path("schema")));
        }
        return parameters;
    }

    /** Resolves a raw schema into its kind, nullability and merged constraints. */
    public SchemaView view(JsonNode schema) {
        return view(schema, 0);
    }

    private SchemaView view(JsonNode schema, int depth) {
        if (depth > 20) {
            throw new IllegalStateException("Schema references nest deeper than 20: " + schema);
        }
        if (schema == null || schema.isMissingNode() || schema.isNull() || schema.isEmpty()) {
            return new SchemaView(SchemaView.Kind.FREE_FORM, true, JSON.createObjectNode(), Optional.empty());
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            if (FREE_FORM_SCHEMAS.contains(name)) {
                return new SchemaView(SchemaView.Kind.FREE_FORM, true, schema, Optional.of(name));
            }
            // 3.1 allows keywords beside $ref (a description, a maxLength); they refine the target.
            ObjectNode merged = deref(schema).deepCopy();
            schema.properties().forEach(e -> {
                if (!e.getKey().equals("$ref")) {
                    merged.set(e.getKey(), e.getValue());
                }
            });
            SchemaView target = view(merged, depth + 1);
            return new SchemaView(target.kind(), target.nullable(), target.node(), Optional.of(name));
        }
        for (String union : List.of("anyOf", "oneOf")) {
            if (schema.has(union)) {
                List<JsonNode> members = new ArrayList<>();
                boolean nullable = false;
                for (JsonNode member : schema.get(union)) {
                    if ("null".equals(member.path("type").asText())) {
                        nullable = true;
                    } else {
                        members.add(member);
                    }
                }
                if (members.size() == 1) {
                    SchemaView only = view(members.get(0), depth + 1);
                    return new SchemaView(only.kind(), nullable || only.nullable(), only.node(), only.refName());
                }
                return new SchemaView(SchemaView.Kind.FREE_FORM, true, schema, Optional.empty());
            }
        }
        if (schema.has("allOf")) {
            ObjectNode merged = JSON.createObjectNode();
            Optional<String> name = Optional.empty();
            for (JsonNode member : schema.get("allOf")) {
                SchemaView part = view(member, depth + 1);
                merged.setAll((ObjectNode) part.node().deepCopy());
                name = name.or(part::refName);
            }
            schema.properties().forEach(e -> {
                if (!e.getKey().equals("allOf")) {
                    merged.set(e.getKey(), e.getValue());
                }
            });
            SchemaView whole = view(merged, depth + 1);
            return new SchemaView(whole.kind(), whole.nullable(), whole.node(), name);
        }
        boolean nullable = schema.path("nullable").asBoolean(false);
        String type = null;
        JsonNode types = schema.get("type");
        if (types != null && types.isArray()) {
            for (JsonNode t : types) {
                if (t.asText().equals("null")) {
                    nullable = true;
                } else if (type == null) {
                    type = t.asText();
                }
            }
        } else if (types != null) {
            type = types.asText();
        }
        if (type == null) {
            if (schema.has("properties")) {
                type = "object";
            } else if (schema.has("items")) {
                type = "array";
            } else if (schema.has("enum")) {
                type = "string";
            }
        }
        SchemaView.Kind kind =
                switch (type == null ? "" : type) {
                    case "string" -> SchemaView.Kind.STRING;
                    case "integer" -> SchemaView.Kind.INTEGER;
                    case "number" -> SchemaView.Kind.NUMBER;
                    case "boolean" -> SchemaView.Kind.BOOLEAN;
                    case "array" -> SchemaView.Kind.ARRAY;
                    case "object" -> schema.has("properties") ? SchemaView.Kind.OBJECT : SchemaView.Kind.FREE_FORM;
                    default -> SchemaView.Kind.FREE_FORM;
                };
        return new SchemaView(kind, nullable, schema, Optional.empty());
    }

    /** Follows a {@code $ref} (to components of this document) to the object it names; anything else as it is. */
    JsonNode deref(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current != null && current.has("$ref"); hops++) {
            if (hops > 20) {
                throw new IllegalStateException("Reference loop at " + node);
            }
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("Only local references are supported: " + ref);
            }
            JsonNode target = root;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part.replace("~1", "/").replace("~0", "~"));
            }
            if (target.isMissingNode()) {
                throw new IllegalStateException("Unresolvable reference " + ref);
            }
            current = target;
        }
        return current == null ? JSON.missingNode() : current;
    }
}
