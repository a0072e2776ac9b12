package dev.bulwark.compliance.flow;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the service's "consumers" readiness check says, read over HTTP as an orchestrator would. */
final class Readiness {

    private static final Pattern ATTEMPTS = Pattern.compile("\\((\\d+) attempts\\)");

    private Readiness() {}

    /** How many attempts the check reports for {@code channel} (0 when it is not failing). */
    static int attempts(String channel) {
        Matcher attempts = ATTEMPTS.matcher(consumers().getOrDefault(channel, ""));
        return attempts.find() ? Integer.parseInt(attempts.group(1)) : 0;
    }

    /** Whether the check is UP (no channel retrying). */
    static boolean consumersUp() {
        return "UP".equals(ready().getString("checks.find { it.name == 'consumers' }.status"));
    }

    private static Map<String, String> consumers() {
        Map<String, String> data = ready().getMap("checks.find { it.name == 'consumers' }.data");
        return data == null ? Map.of() : data;
    }

    private static JsonPath ready() {
        return given().get("/q/health/ready").then().extract().jsonPath();
    }
}
