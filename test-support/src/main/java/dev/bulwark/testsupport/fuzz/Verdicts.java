package dev.bulwark.testsupport.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges the answer to one invalid request. A proper refusal is a 4xx with an RFC 9457 problem+json body whose {@code
 * status} and {@code title} are set, naming the broken field where the service can know it. Anything else is a
 * finding: a 5xx, no answer, an acceptance (the request was invalid by construction), a bare error body.
 */
final class Verdicts {

    private Verdicts() {}

    /** What is wrong with the answer; empty when it is a proper refusal. */
    static List<String> judge(Mutation mutation, SocketHttp.Response response) {
        List<String> wrong = new ArrayList<>();
        int status = response.status();
        if (status < 0) {
            wrong.add("no HTTP answer (" + response.failure().orElse("?") + ")");
            return wrong;
        }
        if (status >= 500) {
            wrong.add("server error");
        } else if (status < 400) {
            wrong.add("accepted an invalid request");
            return wrong;
        } else if (status == 401 && mutation.operation().secured()) {
            wrong.add("refused the fuzzer's valid token");
        }
        String contentType = response.header("content-type").orElse("");
        if (!contentType.startsWith("application/problem+json")) {
            wrong.add("Content-Type is '" + contentType + "', not application/problem+json");
            return wrong;
        }
        JsonNode problem;
        try {
            problem = OpenApiDocument.JSON.readTree(response.body());
        } catch (IOException e) {
            wrong.add("the problem body is not JSON");
            return wrong;
        }
        if (problem == null || !problem.isObject()) {
            wrong.add("the problem body is not a JSON object");
            return wrong;
        }
        if (problem.path("status").asInt(-1) != status) {
            wrong.add("the problem's status is " + problem.path("status") + ", not " + status);
        }
        if (problem.path("title").asText("").isBlank()) {
            wrong.add("the problem has no title");
        }
        boolean fieldLevel = mutation.kind().namesField() && isJson(mutation) && (status == 400 || status == 422);
        if (fieldLevel && !namesField(problem.path("errors"), mutation.field())) {
            wrong.add("errors do not name " + mutation.field() + " (" + problem.path("errors") + " — "
                    + problem.path("detail").asText("") + ")");
        }
        return wrong;
    }

    private static boolean isJson(Mutation mutation) {
        return mutation.operation().body().map(ApiOperation.RequestBody::isJson).orElse(false);
    }

    /** Whether an error names the field, its parent or one of its children (array indices ignored). */
    static boolean namesField(JsonNode errors, String field) {
        String expected = withoutIndices(field);
        for (JsonNode error : errors) {
            String named = withoutIndices(error.path("field").asText(""));
            if (named.isEmpty()) {
                continue;
            }
            if (named.equals(expected) || expected.startsWith(named + ".") || named.startsWith(expected + ".")) {
                return true;
            }
        }
        return false;
    }

    private static String withoutIndices(String field) {
        return field.replaceAll("\\[[^]]*]", "");
    }
}
