package dev.bulwark.testsupport.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One operation of an OpenAPI document: method and path template, its parameters, its request body (if it takes one)
 * and the roles its security requirement names (empty when the operation is public).
 */
public record ApiOperation(
        String method, String path, List<Parameter> parameters, Optional<RequestBody> body, List<String> roles) {

    /** A path or query parameter with its raw schema. */
    public record Parameter(String name, String in, boolean required, JsonNode schema) {
        public boolean inPath() {
            return "path".equals(in);
        }

        public boolean inQuery() {
            return "query".equals(in);
        }
    }

    /** The request body's media type (the first the document lists), raw schema and example, if any. */
    public record RequestBody(String mediaType, JsonNode schema, boolean required, Optional<JsonNode> example) {
        public boolean isJson() {
            return mediaType.equals("application/json") || mediaType.endsWith("+json");
        }
    }

    /** {@code POST /api/v1/apps}: how operations are named in reports and in a target's overrides. */
    public String key() {
        return method + " " + path;
    }

    public boolean secured() {
        return !roles.isEmpty();
    }

    public List<Parameter> pathParameters() {
        return parameters.stream().filter(Parameter::inPath).toList();
    }

    public List<Parameter> queryParameters() {
        return parameters.stream().filter(Parameter::inQuery).toList();
    }

    /** Whether a concrete, already normalised path is one this operation's template answers. */
    public boolean matches(String concretePath) {
        String regex = "\\Q" + path.replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
        return Pattern.matches(regex, concretePath);
    }
}
