package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's routing checked against what the services publish: every path and method of each running service's
 * own OpenAPI document, sent to the gateway without a token, is answered by that service (the gateway names the
 * answering service in {@code X-Bulwark-Upstream}; the service refuses the anonymous call, so nothing changes). A
 * resource added to a service without a route in the gateway fails here. The admin paths every service has are sent
 * as {@code /services/<service>/api/v1/admin/...}.
 */
final class GatewayRouting {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private GatewayRouting() {}

    /** Checks every published path of every service the stack runs; returns how many requests were checked. */
    static int assertEveryPublishedPathReachesItsService(RunningStack stack) {
        String gateway = stack.url(BulwarkService.GATEWAY);
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (BulwarkService service : BulwarkService.values()) {
            if (service == BulwarkService.GATEWAY || !stack.runs(service)) {
                continue;
            }
            Map<String, Map<String, Object>> paths = given().get(stack.url(service) + "/q/openapi?format=json")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getMap("paths");
            for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
                String concrete = path.getKey().replaceAll("\\{[^}]+}", "x-1");
                // paths every service has (dead letters) are reached per service, under its name
                String viaGateway = concrete.startsWith("/api/v1/admin/")
                        ? gateway + "/services/" + service.moduleName() + concrete
                        : gateway + concrete;
                for (String method : path.getValue().keySet()) {
                    if (!METHODS.contains(method)) {
                        continue;
                    }
                    Response answer = given().urlEncodingEnabled(false)
                            .contentType("application/json")
                            .body(method.equals("get") || method.equals("delete") ? "" : "{}")
                            .request(method.toUpperCase(java.util.Locale.ROOT), viaGateway);
                    checked++;
                    String upstream = answer.getHeader("X-Bulwark-Upstream");
                    if (!service.moduleName().equals(upstream)) {
                        wrong.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey() + " of "
                                + service.moduleName() + " was answered by " + upstream + " with "
                                + answer.statusCode());
                    }
                }
            }
        }
        assertThat(wrong).as("published paths the gateway sends elsewhere").isEmpty();
        assertThat(checked).as("paths checked").isPositive();
        return checked;
    }
}
